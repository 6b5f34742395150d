/**
 * Where the workspace is in the drill path, and which issue (if any) is open. Serialisable: the
 * URL holds the same two values, and back/forward replace them.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { sameScope, type Scope } from '../../server/domain/scope';

export const useScopeStore = defineStore('scope', () => {
  /** null = the top of the hierarchy, a city or a district (the API's default scope). */
  const scope = ref<Scope | null>(null);
  /** The issue whose timeline is open. */
  const issueId = ref<string | null>(null);
  /** The top of the loaded hierarchy, once known: a scope naming it is stored as null, so links stay short. */
  let top: Scope | null = null;

  const normalised = (next: Scope | null) => (next && top && sameScope(next, top) ? null : next);

  /** Drills to a scope (null or the top = back to the top); closes an open issue. */
  function drill(next: Scope | null): void {
    const s = normalised(next);
    if (!sameScope(scope.value, s)) scope.value = s;
    issueId.value = null;
  }

  function openIssue(id: string | null): void {
    issueId.value = id;
  }

  /** Replaces both values (from the URL). */
  function replace(next: Scope | null, issue: string | null): void {
    const s = normalised(next);
    if (!sameScope(scope.value, s)) scope.value = s;
    issueId.value = issue;
  }

  /** Learns the top (the region tree is in); a deep link that named it becomes null. */
  function setTop(next: Scope | null): void {
    top = next;
    const s = normalised(scope.value);
    if (!sameScope(scope.value, s)) scope.value = s;
  }

  return { scope, issueId, drill, openIssue, replace, setTop };
});
