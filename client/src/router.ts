import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { currentUser } from "./session";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    /** Only for logged-in users; others go to the log-in page. */
    requiresAuth?: boolean;
    /** Only for visitors; logged-in users go to their projects. */
    guestOnly?: boolean;
    /** The page fills the window below the header (the image viewer). */
    fullHeight?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: "/", redirect: { name: "projects" } },
  { path: "/signup", name: "signup", component: () => import("./pages/SignUpPage.vue"), meta: { guestOnly: true, title: "Sign up" } },
  { path: "/login", name: "login", component: () => import("./pages/LogInPage.vue"), meta: { guestOnly: true, title: "Log in" } },
  { path: "/account", name: "account", component: () => import("./pages/AccountPage.vue"), meta: { requiresAuth: true, title: "Your account" } },
  { path: "/admin/accounts", name: "admin-accounts", component: () => import("./admin/AccountsPage.vue"), meta: { requiresAuth: true, title: "Accounts" } },
  // One-time links, for visitors and logged-in users alike.
  { path: "/invite/:token", name: "invitation", component: () => import("./pages/InvitationPage.vue"), props: true, meta: { title: "Invitation" } },
  { path: "/forgot-password", name: "forgot-password", component: () => import("./pages/ForgotPasswordPage.vue"), meta: { guestOnly: true, title: "Forgot your password?" } },
  { path: "/reset-password/:token", name: "reset-password", component: () => import("./pages/ResetPasswordPage.vue"), props: true, meta: { title: "Set your password" } },
  { path: "/projects", name: "projects", component: () => import("./pages/ProjectListPage.vue"), meta: { requiresAuth: true, title: "Projects" } },
  {
    path: "/projects/:id/settings",
    name: "project-settings",
    component: () => import("./pages/ProjectSettingsPage.vue"),
    props: true,
    meta: { requiresAuth: true, title: "Project settings" },
  },
  {
    path: "/projects/:id/data",
    name: "project-data",
    component: () => import("./pages/ProjectDataPage.vue"),
    props: true,
    meta: { requiresAuth: true, title: "Images" },
  },
  {
    path: "/projects/:projectId/cases/:caseId",
    name: "case-read",
    component: () => import("./pages/CaseReadPage.vue"),
    props: true,
    meta: { requiresAuth: true, title: "Case", fullHeight: true },
  },
  {
    path: "/projects/:projectId/progress",
    name: "project-progress",
    component: () => import("./pages/ProjectProgressPage.vue"),
    props: true,
    meta: { requiresAuth: true, title: "Progress" },
  },
  {
    path: "/projects/:projectId/ledger",
    name: "project-ledger",
    component: () => import("./ledger/LedgerPage.vue"),
    props: true,
    meta: { requiresAuth: true, title: "Ledger" },
  },
  { path: "/projects/:projectId/review", name: "project-review", component: () => import("./review/ReviewPage.vue"), props: true, meta: { requiresAuth: true, title: "Review" } },
  { path: "/projects/:projectId/rewards", name: "project-rewards", component: () => import("./pages/ProjectRewardsPage.vue"), props: true, meta: { requiresAuth: true, title: "Rewards" } },
  { path: "/projects/:projectId/models", name: "project-models", component: () => import("./pages/ProjectModelsPage.vue"), props: true, meta: { requiresAuth: true, title: "Models" } },
  { path: "/:rest(.*)*", name: "not-found", component: () => import("./pages/NotFoundPage.vue"), meta: { title: "Not found" } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  // Every page shows the session in its header, so every navigation makes sure it is known.
  const user = await currentUser().catch(() => null);
  if (to.meta.requiresAuth && !user) return { name: "login", query: { next: to.fullPath } };
  if (to.meta.guestOnly && user) return { name: "projects" };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Concord` : "Concord";
});

/** Where to go after logging in: the page that sent the user here, if it is one of ours. */
export function nextPath(raw: unknown): string {
  return typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/projects";
}
