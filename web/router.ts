import { createRouter, createWebHistory } from 'vue-router';
import { PAGES } from './pages';

/** One route per audience (docs/architecture.md); each page loads lazily (pages.ts). */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'workspace', component: PAGES['/'] },
    { path: '/screen', name: 'screen', component: PAGES['/screen'] },
    { path: '/plan', name: 'plan', component: PAGES['/plan'] },
    { path: '/bulletin', name: 'bulletin', component: PAGES['/bulletin'] },
    { path: '/login', name: 'login', component: PAGES['/login'] },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
