/** The Vue app with Pinia, the router and i18n, loaded by the entry (main.ts) once the first requests are on their way. */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './styles/base.css';

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
