/**
 * Where the workspace is in the drill path, and which issue (if any) is open. Serialisable: the
 * URL holds the same two values, and back/forward replace them.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { sameScope, type Scope } from '../../server/domain/scope';

export const useScopeStore = defineStore('scope', () => {
  /** null = the whole district (the API's default scope). */
  const scope = ref<Scope | null>(null);
  /** The issue whose timeline is open. */
  const issueId = ref<string | null>(null);

  /** Drills to a scope (null = back to the district); closes an open issue. */
  function drill(next: Scope | null): void {
    const normalised = next?.level === 'district' ? null : next;
    if (!sameScope(scope.value, normalised)) scope.value = normalised;
    issueId.value = null;
  }

  function openIssue(id: string | null): void {
    issueId.value = id;
  }

  /** Replaces both values (from the URL). */
  function replace(next: Scope | null, issue: string | null): void {
    const normalised = next?.level === 'district' ? null : next;
    if (!sameScope(scope.value, normalised)) scope.value = normalised;
    issueId.value = issue;
  }

  return { scope, issueId, drill, openIssue, replace };
});
