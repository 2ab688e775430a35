/** GraphQL from the page, with its session cookie; throws on errors. */
export async function gql(page, query, variables = {}) {
  const body = await page.evaluate(
    async ({ query, variables }) => {
      const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return res.json();
    },
    { query, variables },
  );
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data;
}
