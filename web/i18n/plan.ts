/** Messages of the grid planner (route `/plan`). */
import { registerMessages } from './index';

export const plan = {
  'zh-CN': {
    title: '网格规划',
    toWorkspace: '返回工作台',
    status: { draft: '草稿', published: '已发布', archived: '已归档' },
    list: {
      title: '方案', empty: '还没有网格方案', grids: '{n} 个网格', updated: '更新于 {at}', by: '{author}',
      newDraft: '从已发布方案新建草稿', newEmpty: '新建空白草稿', namePlaceholder: '新草稿名称', defaultName: '调整方案 {date}',
      open: '打开', rename: '重命名', discard: '放弃', exportGeojson: '导出 GeoJSON', exportShapefile: '导出 Shapefile', import: '导入文件…',
      confirmDiscard: '确定放弃草稿“{name}”？网格将被删除（修改记录保留）。', renamePrompt: '新的方案名称', discardTitle: '放弃草稿', imported: '已导入 {n} 个网格',
      collapse: '收起方案列表', expand: '展开方案列表', copyOf: '复制此方案为新草稿', copy: '复制为草稿', pick: '在左侧打开一个方案，或从已发布方案新建草稿开始调整。',
    },
    tool: {
      select: '选择', split: '分割', merge: '合并', redraw: '重绘', vertex: '节点',
      hint: {
        select: '单击网格查看指标、编辑属性。快捷键：S 分割 · M 合并 · R 重绘 · V 节点 · Ctrl+Z 撤销',
        split: '单击落点画一条穿过网格的线，双击或按 Enter 结束；Esc 取消。落点会吸附到节点和边线。',
        merge: '依次单击两个相邻网格即合并（保留第一个网格的编码）；Esc 取消。',
        redraw: '先选中网格，再单击开始、移动鼠标勾画新边界、单击结束；新边界从邻格取地或还地。',
        redrawNeedsGrid: '重绘前请先用“选择”工具选中一个网格。',
        vertex: '拖动节点移动（共用该节点的网格同步改变）；双击边线插入节点；单击节点后按 Delete 删除。橙色节点只能沿社区边界滑动，灰色节点固定。',
      },
    },
    action: {
      undo: '撤销', redo: '重做', publish: '发布', publishing: '发布中…',
      publishBlocked: '校验有 {n} 个错误，修复后才能发布', publishEmpty: '方案没有网格',
      confirmPublish: '发布“{name}”？当前已发布方案将归档，所有问题和点位按新网格重新归属。',
      publishTitle: '发布网格方案', cancel: '取消',
      published: '已发布：{issues} 件问题、{sites} 个点位已按新网格重新归属。',
      readOnly: '只读：{status}方案不能编辑，可从它新建草稿。', busy: '处理中…',
    },
    tab: { metrics: '指标', validation: '校验', diff: '对比', attrs: '属性', changes: '记录' },
    metrics: {
      title: '工作量均衡', window: '统计区间', band: '目标区间 ±', days: '{n} 天', apply: '应用',
      draft: '本方案', published: '已发布', none: '无已发布方案',
      row: { grids: '网格数', issues: '问题数', mean: '平均工作量', maxOverMean: '最大/平均', cv: '变异系数 CV', outside: '超出区间网格' },
      unit: '件/格/30天', above: '高于区间', below: '低于区间', within: '区间内', noData: '无数据',
      outsideList: '超出区间的网格（工作量最偏离者）', more: '另有 {n} 个', bandRange: '区间 {low} – {high} 件/30天',
      grid: {
        title: '选中网格', issuesPer30d: '工作量（件/30天）', issues: '区间内问题', overdue: '超期未结', sites: '重点点位', noSites: '无',
        area: '面积', perimeter: '周长', households: '户数', inspector: '网格员', community: '所属社区', none: '在地图上单击一个网格查看它的指标',
      },
    },
    validation: {
      title: '不重不漏校验', errors: '错误 {n}', warnings: '警告 {n}', clean: '没有发现问题', zoom: '定位',
      code: {
        overlap: '网格 {grids} 相互重叠 {area}', gap: '有 {area} 未划入任何网格', self_intersection: '网格 {grids} 的边界自相交',
        multipart: '网格 {grids} 由多个不相连的部分组成', sliver: '网格 {grids} 面积过小（{area}）', outside_community: '网格 {grids} 有 {area} 超出所属社区',
        unknown_community: '网格 {grids} 所属的社区不存在', duplicate_code: '网格编码重复：{grids}', empty_code: '有网格的编码为空', no_inspector: '网格 {grids} 没有网格员',
      },
    },
    diff: {
      title: '与已发布方案对比', same: '与已发布方案相同', isPublished: '这就是已发布方案', noPublished: '没有已发布方案可对比', load: '对比',
      added: '新增 {n}', removed: '删除 {n}', changed: '变更 {n}', unchanged: '未变 {n}',
      issuesMoved: '{moved} / {total} 件问题改变所属网格', sitesMoved: '{n} 个点位改变所属网格', flows: '问题流向', none: '无',
      field: { geometry: '边界', name: '名称', community: '社区', inspector: '网格员', households: '户数' },
      legend: { published: '已发布边界', added: '新增', changed: '变更', removed: '删除' },
    },
    attrs: {
      title: '网格属性', code: '网格编码', name: '名称', inspector: '网格员', community: '所属社区', households: '户数',
      save: '保存', reset: '还原', none: '在地图上单击一个网格编辑它的属性', readOnly: '只读',
    },
    changes: {
      title: '修改记录', empty: '暂无记录',
      op: { create: '创建', rename: '重命名', split: '分割', merge: '合并', update: '修改', vertex: '节点', undo: '撤销', redo: '重做', publish: '发布', archive: '归档', discard: '放弃' },
    },
    error: {
      line_must_cross_twice: '分割线必须从网格外穿过网格边界恰好两次。', line_outside_grid: '分割线在两次穿越之间跑出了网格。',
      line_along_boundary: '分割线沿着网格边界走，请横穿网格画线。', not_adjacent: '只有相邻（共用边界）的网格才能合并。',
      different_communities: '不同社区的网格不能合并，请先调整所属社区。', merge_needs_two: '请选择两个不同的网格。',
      pinned_vertex: '该节点在社区边界的拐点上，不能移动或删除。', junction_vertex: '多条边交汇的节点不能删除（可以移动）。',
      invalid_edit: '这样修改会使网格边界交叉或重叠，已拒绝。', no_vertex: '这里没有节点。', no_edge: '这里没有边线。', vertex_exists: '这里已经有节点。',
      redraw_multipart: '新边界在社区内被分成了几块，请画一个连通的形状。', redraw_swallows_grid: '新边界完全覆盖了相邻网格，请改用合并。',
      outside_community: '新边界在所属社区之外。', not_in_community: '网格不在目标社区范围内。', one_change_at_a_time: '重绘和更换社区请分两次进行。',
      duplicate_code: '网格编码已被使用。', empty_code: '网格编码不能为空。', not_editable: '只有草稿可以编辑。', nothing_to_undo: '没有可撤销的修改。',
      nothing_to_redo: '没有可重做的修改。', validation_failed: '校验仍有错误，不能发布。', empty_plan: '方案没有网格，不能发布。',
      unauthorized: '请先登录：编辑方案需要规划员（planner）令牌。', forbidden: '当前账号没有此权限（编辑方案需要规划员角色，导入需要管理员）。',
      ambiguousSplit: '这条线同时穿过了多个网格，请先选中要分割的网格。', noSplitTarget: '这条线没有横穿任何网格（需从网格外画到网格外）。',
      dismiss: '关闭', signIn: '去登录', redrawNeedsGrid: '重绘前请先用“选择”工具选中一个网格。',
    },
    legend: { title: '工作量（相对平均值）' },
  },
  en: {
    title: 'Grid planner',
    toWorkspace: 'Workspace',
    status: { draft: 'Draft', published: 'Published', archived: 'Archived' },
    list: {
      title: 'Plans', empty: 'No grid plans yet', grids: '{n} grids', updated: 'updated {at}', by: '{author}',
      newDraft: 'New draft from the published plan', newEmpty: 'New empty draft', namePlaceholder: 'Name of the new draft', defaultName: 'Revision {date}',
      open: 'Open', rename: 'Rename', discard: 'Discard', exportGeojson: 'Export GeoJSON', exportShapefile: 'Export Shapefile', import: 'Import file…',
      confirmDiscard: 'Discard the draft "{name}"? Its grids are deleted (the change log is kept).', renamePrompt: 'New plan name', discardTitle: 'Discard draft', imported: '{n} grids imported',
      collapse: 'Hide plan list', expand: 'Show plan list', copyOf: 'Copy this plan into a new draft', copy: 'Copy to draft', pick: 'Open a plan on the left, or start a new draft from the published plan.',
    },
    tool: {
      select: 'Select', split: 'Split', merge: 'Merge', redraw: 'Redraw', vertex: 'Vertices',
      hint: {
        select: 'Click a grid for its metrics and attributes. Keys: S split · M merge · R redraw · V vertices · Ctrl+Z undo',
        split: 'Click points of a line across a grid; double-click or Enter finishes, Esc cancels. Points snap to vertices and edges.',
        merge: 'Click two neighbouring grids to merge them (the first keeps its code); Esc cancels.',
        redraw: 'Select a grid first, then click, move to trace the new outline, click to finish; neighbours give or take the land.',
        redrawNeedsGrid: 'Select a grid with the Select tool before redrawing it.',
        vertex: 'Drag a vertex to move it (every grid sharing it follows); double-click an edge to insert one; click a vertex and press Delete to remove it. Orange vertices slide along the community outline, grey ones are fixed.',
      },
    },
    action: {
      undo: 'Undo', redo: 'Redo', publish: 'Publish', publishing: 'Publishing…',
      publishBlocked: '{n} validation error(s) must be fixed before publishing', publishEmpty: 'The plan has no grids',
      confirmPublish: 'Publish "{name}"? The current plan is archived and every issue and site is re-assigned to the new grids.',
      publishTitle: 'Publish grid plan', cancel: 'Cancel',
      published: 'Published: {issues} issues and {sites} sites re-assigned to the new grids.',
      readOnly: 'Read-only: a {status} plan cannot change; copy it into a draft.', busy: 'Working…',
    },
    tab: { metrics: 'Metrics', validation: 'Checks', diff: 'Diff', attrs: 'Attributes', changes: 'Log' },
    metrics: {
      title: 'Workload balance', window: 'Window', band: 'Target band ±', days: '{n} days', apply: 'Apply',
      draft: 'This plan', published: 'Published', none: 'No published plan',
      row: { grids: 'Grids', issues: 'Issues', mean: 'Mean workload', maxOverMean: 'Max / mean', cv: 'Coeff. of variation', outside: 'Grids outside band' },
      unit: 'issues/grid/30 d', above: 'Above band', below: 'Below band', within: 'Within band', noData: 'No data',
      outsideList: 'Grids outside the band (furthest first)', more: '{n} more', bandRange: 'band {low} – {high} issues/30 d',
      grid: {
        title: 'Selected grid', issuesPer30d: 'Workload (issues/30 d)', issues: 'Issues in window', overdue: 'Overdue', sites: 'Key sites', noSites: 'none',
        area: 'Area', perimeter: 'Perimeter', households: 'Households', inspector: 'Inspector', community: 'Community', none: 'Click a grid on the map for its metrics',
      },
    },
    validation: {
      title: 'Coverage checks', errors: 'Errors {n}', warnings: 'Warnings {n}', clean: 'No problems found', zoom: 'Show',
      code: {
        overlap: 'Grids {grids} overlap by {area}', gap: '{area} belong to no grid', self_intersection: 'The boundary of grid {grids} crosses itself',
        multipart: 'Grid {grids} has separate parts', sliver: 'Grid {grids} is too small ({area})', outside_community: '{area} of grid {grids} lie outside its community',
        unknown_community: 'Grid {grids} names an unknown community', duplicate_code: 'Duplicate grid codes: {grids}', empty_code: 'A grid has an empty code', no_inspector: 'Grid {grids} has no inspector',
      },
    },
    diff: {
      title: 'Compared with the published plan', same: 'Same as the published plan', isPublished: 'This is the published plan', noPublished: 'No published plan to compare with', load: 'Compare',
      added: 'Added {n}', removed: 'Removed {n}', changed: 'Changed {n}', unchanged: 'Unchanged {n}',
      issuesMoved: '{moved} of {total} issues move to another grid', sitesMoved: '{n} sites move to another grid', flows: 'Issue flows', none: 'none',
      field: { geometry: 'outline', name: 'name', community: 'community', inspector: 'inspector', households: 'households' },
      legend: { published: 'Published outline', added: 'Added', changed: 'Changed', removed: 'Removed' },
    },
    attrs: {
      title: 'Grid attributes', code: 'Grid code', name: 'Name', inspector: 'Inspector', community: 'Community', households: 'Households',
      save: 'Save', reset: 'Reset', none: 'Click a grid on the map to edit its attributes', readOnly: 'Read-only',
    },
    changes: {
      title: 'Change log', empty: 'No changes yet',
      op: { create: 'Created', rename: 'Renamed', split: 'Split', merge: 'Merged', update: 'Edited', vertex: 'Vertex', undo: 'Undo', redo: 'Redo', publish: 'Published', archive: 'Archived', discard: 'Discarded' },
    },
    error: {
      line_must_cross_twice: 'The line must cross the grid boundary exactly twice, from outside to outside.', line_outside_grid: 'Between its crossings the line leaves the grid.',
      line_along_boundary: 'The line runs along the boundary; draw it across the grid.', not_adjacent: 'Only neighbouring grids (sharing a boundary) can be merged.',
      different_communities: 'Grids of different communities cannot be merged; move one first.', merge_needs_two: 'Pick two different grids.',
      pinned_vertex: 'This vertex is a corner of the community outline and cannot move or go.', junction_vertex: 'A vertex where several edges meet cannot be deleted (it can be moved).',
      invalid_edit: 'That edit would make grid boundaries cross or overlap; refused.', no_vertex: 'There is no vertex here.', no_edge: 'There is no edge here.', vertex_exists: 'There is a vertex here already.',
      redraw_multipart: 'Inside the community the new outline falls into pieces; draw one connected shape.', redraw_swallows_grid: 'The new outline covers a whole neighbour; merge them instead.',
      outside_community: 'The new outline lies outside the community.', not_in_community: 'The grid does not lie inside that community.', one_change_at_a_time: 'Redraw and change community in two separate edits.',
      duplicate_code: 'That grid code is taken.', empty_code: 'Grid codes cannot be empty.', not_editable: 'Only drafts can change.', nothing_to_undo: 'Nothing to undo.',
      nothing_to_redo: 'Nothing to redo.', validation_failed: 'Validation still finds errors; cannot publish.', empty_plan: 'The plan has no grids; cannot publish.',
      unauthorized: 'Sign in first: editing plans needs a planner token.', forbidden: 'Your role may not do this (plans need planner, imports need admin).',
      ambiguousSplit: 'The line crosses several grids; select the grid to split first.', noSplitTarget: 'The line does not cross any grid from outside to outside.',
      dismiss: 'Dismiss', signIn: 'Sign in', redrawNeedsGrid: 'Select a grid with the Select tool before redrawing it.',
    },
    legend: { title: 'Workload (relative to the mean)' },
  },
};

registerMessages('plan', plan);
