# One image for every role: `concord start` (API + UI), `concord worker`, `concord migrate`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY workers/package.json workers/
COPY client/package.json client/
RUN npm ci --ignore-scripts
COPY . .
RUN npm rebuild && npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY workers/package.json workers/
COPY client/package.json client/
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/bin bin
COPY --from=build /app/schema schema
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/workers/dist workers/dist
COPY --from=build /app/client/dist client/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/concord.js"]
CMD ["start"]
