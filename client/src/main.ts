import { DefaultApolloClient } from "@vue/apollo-composable";
import { createApp } from "vue";
import App from "./App.vue";
import { apollo, handleUnauthenticated } from "./graphql/apollo";
import { router } from "./router";
import { leaveSession } from "./session";
import "./styles.css";

// The session ended on the server (expired, or logged out in another tab): start over at log-in.
handleUnauthenticated(() => {
  const route = router.currentRoute.value;
  if (route.meta.requiresAuth) leaveSession(`/login?next=${encodeURIComponent(route.fullPath)}`);
});

createApp(App).provide(DefaultApolloClient, apollo).use(router).mount("#app");
