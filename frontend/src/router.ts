/**
 * History-mode routes: each module brings its own (src/modules/<name>/routes.ts). Every page but
 * /login needs a session (else /login?redirect=<where you were>) and a company the user has,
 * held in `?company=<id>`.
 */
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { onSessionExpired } from './shared/api/client'
import { useAuth } from './shared/auth'
import { useCompanies } from './shared/companies'
import { routes as dataEntryRoutes } from './modules/data-entry/routes'
import { routes as jobRoutes } from './modules/jobs/routes'
import { routes as reportRoutes } from './modules/reports/routes'
import { routes as telegramRoutes } from './modules/telegram/routes'

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's title in the browser tab and the header. */
    title?: string
    /** Pages anyone may open (only /login). */
    public?: boolean
    /** Any one of these roles (admins always pass). */
    roles?: string[]
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: (to) => ({ path: '/reports/dashboard', query: to.query }) },
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: 'Autentificare' } },
    ...reportRoutes,
    ...dataEntryRoutes,
    ...jobRoutes,
    ...telegramRoutes,
    { path: '/:rest(.*)*', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'Pagină inexistentă' } },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

function loginRedirect(to: RouteLocationNormalized) {
  return { path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const auth = useAuth()
  if (!(await auth.restore())) return loginRedirect(to)
  if (to.meta.roles && !auth.hasRole(...to.meta.roles)) return { path: '/reports/dashboard', query: { company: to.query.company } }
  const companies = useCompanies()
  await companies.load()
  const wanted = Number(to.query.company)
  const id = companies.allowed(to.query.company)
  if (id !== null && wanted !== id) return { path: to.path, query: { ...to.query, company: String(id) }, hash: to.hash, replace: true }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · ROA2WEB` : 'ROA2WEB'
})

onSessionExpired(() => {
  useAuth().expired()
  useCompanies().reset()
  const current = router.currentRoute.value
  if (!current.meta.public) void router.replace(loginRedirect(current))
})
