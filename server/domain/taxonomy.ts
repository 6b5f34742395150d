/**
 * The issue taxonomy's one rule for issues: an issue is filed under a 小类 (a leaf of the tree),
 * never under a 大类. A 大类 has no time limit, so an issue under it would get no deadline and
 * would never be due or overdue: it would escape 超期未结 and both rates.
 */

/** One category as the rule needs it. */
export type CategoryNode = { code: string; name: string; parent: string | null };

/** How many 小类 an error names as examples. */
const EXAMPLES = 3;

/**
 * Why `category` may not be an issue's category, or null when it may. `children` are the
 * categories whose parent it is.
 */
export function issueCategoryProblem(category: CategoryNode, children: readonly CategoryNode[]): string | null {
  if (children.length) {
    const examples = children.slice(0, EXAMPLES).map((c) => `${c.code} ${c.name}`).join(', ');
    const more = children.length > EXAMPLES ? ` and ${children.length - EXAMPLES} more` : '';
    return `category "${category.code}" (${category.name}) is a 大类; an issue needs one of its 小类 codes, e.g. ${examples}${more}`;
  }
  if (category.parent === null) return `category "${category.code}" (${category.name}) is a 大类 without any 小类; an issue needs a 小类 code`;
  return null;
}
