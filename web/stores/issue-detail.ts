/**
 * The issue open in the workspace's side panel: `/api/issues/:id` with its timeline. Opening
 * another issue cancels the request still running; closing the panel forgets it.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { fetchIssue, type IssueDetail } from '../api/civgrid';
import { asyncSlot } from './async-slot';

export const useIssueDetailStore = defineStore('issue-detail', () => {
  const detail = asyncSlot<IssueDetail>();

  /** Loads issue `id`; resolves with it once it is the one shown (null if it failed or was replaced). */
  async function load(id: string): Promise<IssueDetail | null> {
    await detail.load((signal) => fetchIssue(id, signal));
    const d = detail.state.value.data;
    return d && d.id === id ? d : null;
  }

  return { state: computed(() => detail.state.value), load, reset: detail.reset };
});
