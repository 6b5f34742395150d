import { createRouter, createWebHistory } from 'vue-router';

/**
 * One route per audience (docs/architecture.md). Views load lazily so the big screen doesn't download the
 * planner and the other way round.
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'workspace', component: () => import('./workspace/WorkspaceView.vue') },
    { path: '/screen', name: 'screen', component: () => import('./screen/ScreenView.vue') },
    { path: '/plan', name: 'plan', component: () => import('./plan/PlanView.vue') },
    { path: '/bulletin', name: 'bulletin', component: () => import('./bulletin/BulletinView.vue') },
    { path: '/login', name: 'login', component: () => import('./auth/AuthSignInView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
