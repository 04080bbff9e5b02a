// English and Simplified Chinese strings for the page. Data (segment names, exports) keeps the names as
// DOMAIN.md spells them; the page translates them for display only (segmentLabel).

const EN = {
  title: 'tierlens — customer segmentation in your browser',
  privacyStrong: 'Your data stays here.',
  privacy: 'Files are read and analysed inside this browser tab (WebAssembly in a worker). This page is not allowed to open any network connection, so nothing you open can be uploaded.',
  language: 'Language',
  openTitle: '1 · Open an export',
  dropHere: 'Drop a file here', or: 'or', chooseOne: 'choose one',
  dropHelp: 'CSV / TSV, Excel (XLSX, XLS, ODS) or JSON export (UTF-8, UTF-16 or GBK): transactions with a customer id, an order date and an amount per row (order id optional), or one row per customer.',
  sample: 'Try the sample data', sampleZh: 'Sample with Chinese columns',
  sampleNote: '3 000 synthetic customers, generated in your browser.',
  cancel: 'Cancel', opening: 'Opening {what}…', theSample: 'the sample data',
  reading: 'Reading', scanning: 'Checking the file (pass 1 of 2)', scoring: 'Scoring', rowsSoFar: '{rows} rows · {customers} customers',
  analysing: 'Updating results…',
  settingsTitle: 'Settings', settingsNote: 'Every change updates the results. Settings marked ↻ read the file again (the worker keeps it).',
  asOf: 'Analysis date (as of)', asOfHelp: 'Empty = the day after the latest order.',
  bins: 'Score bins', method: 'Bin method', methodEdges: 'Quantile edges (ties stay together)', methodRankFirst: 'Equal groups by rank',
  cutsRecency: 'Recency cut points (days)', cutsFrequency: 'Frequency cut points (orders)', cutsMonetary: 'Monetary cut points',
  cutsHelp: 'N − 1 ascending numbers, comma-separated; empty = quantiles.',
  preset: 'Segment rules', dateOrder: 'Date order', dateAuto: 'Detect', dateDmy: 'Day first (31/12/2024)', dateMdy: 'Month first (12/31/2024)',
  dropZero: 'Set aside rows with a zero amount',
  saveRecipe: 'Save settings (JSON)', loadRecipe: 'Load settings…', resetRecipe: 'Reset',
  recipeLoaded: 'Settings loaded from {name}.',
  columnsTitle: 'Columns', columnsNote: 'The roles found in the header, with confidence. Change a role to read the file again.',
  role: 'Role', column: 'Column', confidence: 'Confidence', source: 'Found by', none: '(none)',
  role_customerId: 'Customer id', role_orderId: 'Order id', role_date: 'Date', role_amount: 'Amount', role_quantity: 'Quantity', role_unitPrice: 'Unit price', role_region: 'Region',
  src_recipe: 'your choice', src_header: 'exact name', 'src_header-partial': 'partial name',
  previewTitle: 'First rows of the file',
  qualityTitle: '2 · What was read',
  rowsRead: 'Rows read', rowsUsed: 'Rows used', rowsAside: 'Rows set aside', customers: 'Customers', analysisDate: 'Analysis date', dateRange: 'Date range', returns: 'Returns netted',
  withBom: ' with BOM', tab: 'tab', space: 'space',
  datesRead: 'Dates read {order}{ambiguous}.', ambiguous: ' (ambiguous in the file: check the date order setting)',
  asideBecause: 'Set aside because', rows: 'Rows', firstRows: 'First rows', rowN: 'row {n}',
  cleaningRules: 'Cleaning rules applied: rows without a customer id, date or amount are set aside; negative amounts are returns netted against the customer; {zero}.',
  zeroDropped: 'zero amounts are set aside', zeroKept: 'zero amounts are kept',
  segmentsTitle: '3 · Segments', segmentsNote: 'Rule set “{rules}”, {bins} score bins ({method}).',
  coverageOk: 'Every one of the {cells} score cells belongs to exactly one segment.',
  coverageGaps: '{n} of {cells} score cells match no rule (→ “{fallback}”).',
  segment: 'Segment', share: 'Share', revenue: 'Revenue', revenueShare: 'Revenue share', meanRecency: 'Mean recency (days)', meanOrders: 'Mean orders', meanSpend: 'Mean spend',
  shareCustomers: 'Share of customers', shareRevenue: 'Share of revenue',
  thresholdsTitle: 'Score cut points', metric: 'Metric', cuts: 'Cut points', collapsed: 'collapsed: scores {used} used',
  metric_recency_days: 'Recency (days)', metric_frequency: 'Frequency (orders)', metric_monetary: 'Monetary',
  gridTitle: 'R × FM grid', gridNote: 'Customers per cell (R = recency score, FM = mean of F and M rounded half up); colour = count; tooltip: mean spend and segment.',
  meanMonetary: 'Mean spend', cellCustomers: 'Customers',
  tiersTitle: 'Value tiers', paretoNote: 'The top {top} % of customers bring {share} of revenue.',
  lifecycleTitle: 'Lifecycle stages', clustersTitle: 'Clusters', clusterMap: 'Customer map (2-D projection)', kCurves: 'Choosing k', chosenK: 'chosen k = {k}', profiles: 'Cluster profiles', rulesTitle: 'Decision rules', fidelity: 'Rules agree with the clusters for {share} of customers.',
  support: 'Customers', purity: 'Purity', rule: 'Rule', cluster: 'Cluster',
  customersTitle: '4 · Customers', search: 'Search id or code', allSegments: 'All segments', allTiers: 'All tiers', allLifecycle: 'All lifecycle stages', allClusters: 'All clusters',
  showing: '{shown} of {total} customers', customer: 'Customer', recencyDays: 'Recency (days)', orders: 'Orders', spend: 'Spend', rfm: 'RFM', tier: 'Tier', code: 'Code', action: 'Action', region: 'Region',
  sortBy: 'Sort by {col}',
  crossTitle: 'Segment × region', crossNote: 'Customers per segment and region; lift = share of the segment in the region ÷ its share overall (above 1 = over-represented).', lift: 'lift',
  exportTitle: '5 · Export', exportCsv: 'Customer list (CSV)', exportXlsx: 'Customer list (Excel)', exportJson: 'Customer list (JSON)', exportReport: 'Report (JSON)', exportSqlDuckdb: 'SQL (DuckDB)', exportSqlSpark: 'SQL (Spark)', exportRecipe: 'Settings (JSON)', printReport: 'Print summary / PDF', chartPng: 'PNG',
  exportNote: 'Exports are made in this tab and saved by your browser; nothing is uploaded. In the CSV, cells that could run as spreadsheet formulas get a leading apostrophe; the Excel file keeps them exactly as text (a text cell never runs).',
  xlsxMissing: 'Excel export is not in this build.',
  footer: 'runs offline · no data leaves this page', offlineCopy: 'save a single-file copy for offline use (opens from disk)',
  fixColumns: 'Choose the columns and read the file again:', readAgain: 'Read again',
  ariaSegments: 'Share of customers and of revenue per segment (the table below has the numbers)', ariaGrid: 'Heatmap of customers per R and FM score (numbers in each cell)',
  ariaTiers: 'Value tier pyramid', ariaLifecycle: 'Lifecycle stage funnel', ariaClusterMap: 'Map of every customer coloured by cluster', ariaKCurves: 'Cluster quality by number of clusters k', ariaRadar: 'Cluster profiles',
  kCurvesNote: 'Each curve scaled to its own range (values in the tooltip): silhouette and Calinski–Harabasz higher is better, Davies–Bouldin lower is better.',
  tierPreset: 'Value tiers', tierPresetPgsb: 'Platinum / Gold / Silver / Bronze (5/15/30/50 %)', tierPresetHml: 'High / Medium / Low (20/30/50 %)',
  paretoPercent: 'Pareto: top % of customers', lifecycleMode: 'Lifecycle', lifecycleFixed: 'Fixed days', lifecycleRelative: 'Relative to each customer’s usual gap',
  newDays: 'New: first order within (days)', activeDays: 'Active: last order within (days)', dueDays: 'Due: within (days)', lapsingDays: 'Lapsing: within (days); Lost beyond',
  codeTemplate: 'Code template', codeTemplateHelp: 'e.g. {region}{tier}-{seq:03}', clusterK: 'Clusters (k)', kAuto: 'Automatic (best silhouette)',
  auto: 'auto', crossPick: 'Cross-tab', value_tier: 'Value tier', lifecycle: 'Lifecycle stage',
  showCustomers: 'Show these customers', chartType: 'Chart', viewBar: 'Bars: customers and revenue', viewTreemap: 'Treemap: customers',
  editRules: 'Edit the rules as a grid', applyRules: 'Apply these rules', customRules: 'your rules',
  editRulesNote: 'One segment per cell (rows R, columns FM). Type a new name to create a segment. Applying replaces the preset with these rules; they are saved with the settings.',
  rulesNotGrid: 'This rule set also uses F or M ranges, so some cells hold several segments: the grid starts from the first segment the rules give in each cell.',
  cellLabel: 'Segment for R {r}, FM {fm}',
  format_delimited: 'delimited', format_xlsx: 'Excel', format_xls: 'Excel 97–2003', format_json: 'JSON', method_custom: 'your cut points',

  usualGap: 'Usual gap (relative mode)', gapP80: '80th percentile of the customer’s gaps', gapMean: 'mean of the customer’s gaps',
  ownBands: 'your bands (below)', zeroSpend: 'Tier of customers without spend', bandsTitle: 'Bands, top tier first (share of spending customers)',
  bandShare: 'Share', bandName: 'Name of band {n}', bandPercent: 'Share of {name} in %', removeBand: 'Remove band {name}', addBand: 'Add a band',
  bandSum: 'Sum: {sum} % (must be 100 %)',
  // Settings sections and the editors of issue 6 (custom tiers, actions, codes, cluster features).
  secData: 'Data and date', secScores: 'Scores and segments', secTiers: 'Value tiers', secLifecycle: 'Lifecycle',
  secCustom: 'Custom tiers', secCodes: 'Codes', secActions: 'Actions', secCluster: 'Clusters',
  customNote: 'Rules in order; the first that matches a customer gives its tier. Fields: recency_days, frequency, monetary, aov, tenure_days, mean_gap_days, r, f, m, fm, segment, tier, lifecycle, region, customer_id.',
  customExample: 'e.g. monetary >= 10000 and frequency >= 12', ruleN: 'Rule {n}', ruleTier: 'Tier name', ruleWhen: 'When',
  addRule: 'Add a rule', removeRule: 'Remove rule {n}', moveUp: 'Move rule {n} up', moveDown: 'Move rule {n} down',
  otherwise: 'Everyone else: tier name', ruleIncomplete: 'Give every rule a name and a condition to apply the rules.',
  ruleCount: '{n} customers', noRules: 'No rules: no custom tier column.', custom_tier: 'Custom tier', allCustom: 'All custom tiers', customTier: 'Custom tier',
  errorAt: 'at character {position}',
  actionBasis: 'Action follows', basis_segment: 'Segment', basis_tier: 'Value tier', basis_lifecycle: 'Lifecycle stage', basis_custom: 'Custom tier',
  actionLanguage: 'Language of the built-in texts', actionsNote: 'Edit a text to replace the built-in one; the edited texts are saved with the settings.',
  actionFor: 'Action for {name}', edited: 'edited', resetOne: 'Back to the built-in text for {name}', resetActions: 'Reset all texts',
  builtIn: 'Built-in: {text}',
  codesNote: 'Placeholders: {region} {tier} {stage} {segment} {custom} {r} {f} {m} and one {seq} or {seq:04}. Tokens below replace the default ones; empty = default.',
  codeMap_region: 'Region tokens', codeMap_tier: 'Value tier tokens', codeMap_stage: 'Lifecycle stage tokens', codeMap_segment: 'Segment tokens', codeMap_custom: 'Custom tier tokens',
  tokenFor: 'Token for {name}', codePreview: 'Codes now: {keys} classes, {n} customers', codeExample: 'First code', noRegion: '(no region)',
  clusterEnabled: 'Run clustering', clusterFeatures: 'Features for k-means', clusterTransform: 'Transform', clusterScaling: 'Scaling',
  transform_auto: 'auto: log1p if skewed', transform_log1p: 'log1p on every number', transform_none: 'none',
  scaling_standard: 'standard (mean, SD)', scaling_robust: 'robust (median, IQR)',
  feature_recency_days: 'Recency (days)', feature_frequency: 'Frequency (orders)', feature_monetary: 'Monetary', feature_aov: 'Average order value',
  feature_tenure_days: 'Tenure (days)', feature_mean_gap_days: 'Mean days between orders', feature_region: 'Region (one-hot)',
  kind_numeric: 'numeric column', kind_categorical: 'categorical column (one-hot)', featuresNeedOne: 'Choose at least one feature.',
  fromFile: 'From the file',

  // "What was read": reading decisions (report.input.decisions). An unknown code shows as itself.
  readAs: 'Read as delimited text, {encoding}{bom}, delimiter {delim}.',
  readAsWorkbook: 'Read as an {format} workbook{sheet}.', sheetNamed: ', sheet “{sheet}”',
  readAsJson: 'Read as JSON, {encoding}{bom}.',
  decisionsTitle: 'How the file was read (each decision can be overridden by the setting named)',
  decisionWhat: 'Decision', decisionValue: 'Value', decisionBasis: 'Decided by', decisionEvidence: 'Evidence', decisionKey: 'Setting that overrides it',
  decisionBasis_recipe: 'your settings', decisionBasis_file: 'the file', decisionBasis_default: 'default (the file could not settle it)',
  decisionCheck: 'Check this (setting {key}):',
  decision_format: 'File format', decision_encoding: 'Text encoding', decision_delimiter: 'Delimiter', decision_headerRow: 'Header row',
  decision_columnRole: 'Column for {role}', decision_dateOrder: 'Date order', decision_dateFormat: 'Date format',
  decision_decimalSeparator: 'Decimal separator', decision_thousandsSeparator: 'Thousands separator', decision_sheets: 'Sheets read',
  decision_duplicates: 'Identical rows', decision_customerIds: 'Customer ids', decision_totals: 'Total and subtotal rows',
  decision_totalRows: 'Total and subtotal rows', decision_quotes: 'Quotes', decision_quoting: 'Quotes', decision_shape: 'Kind of input',
  decision_whitespace: 'Columns separated by spaces', decision_columns: 'Columns', decision_amountUnit: 'Amount unit', decision_zeroAmounts: 'Zero amounts',
  decisionValue_dateOrder_dmy: 'day first (31/12/2024)', decisionValue_dateOrder_mdy: 'month first (12/31/2024)', decisionValue_dateOrder_ymd: 'year first (2024-12-31)',
  decisionValue_shape_transactions: 'transactions', decisionValue_shape_customers: 'one row per customer',
  decisionValue_duplicates_drop: 'dropped', decisionValue_duplicates_keep: 'kept', decisionValue_duplicates_flag: 'kept and flagged',
  // Export options.
  exportPrivacy: 'Before sharing (applies to every customer list and the report below)',
  passphraseLabel: 'Replace customer ids by pseudonyms: passphrase',
  passphraseHelp: 'Empty = real ids. The pseudonym is HMAC-SHA-256 of the id under this passphrase (p_ + 16 hex digits), made by the engine in this tab; the same passphrase gives the same pseudonyms in every run and in the CLI (TIERLENS_PASSPHRASE), so a later comparison still joins. The passphrase is not saved anywhere: keep it yourself, and make it long (phone numbers are easy to guess).',
  dropColumnsLabel: 'Leave out these columns:',
};

const ZH = {
  title: 'tierlens — 在浏览器中完成客户分层',
  privacyStrong: '数据只留在本机。',
  privacy: '文件在本浏览器标签页内读取和分析（Web Worker 中的 WebAssembly）。本页面被禁止建立任何网络连接，您打开的内容无法被上传。',
  language: '语言',
  openTitle: '1 · 打开导出文件',
  dropHere: '把文件拖到这里', or: '或', chooseOne: '选择文件',
  dropHelp: 'CSV / TSV、Excel（XLSX、XLS、ODS）或 JSON 导出文件（UTF-8、UTF-16 或 GBK）：交易明细每行含客户 ID、下单日期和金额（订单号可选），或每行一个客户。',
  sample: '试用示例数据', sampleZh: '中文列名示例',
  sampleNote: '3000 个合成客户，在您的浏览器中生成。',
  cancel: '取消', opening: '正在打开{what}…', theSample: '示例数据',
  reading: '读取中', scanning: '检查文件（第 1 遍，共 2 遍）', scoring: '评分中', rowsSoFar: '{rows} 行 · {customers} 个客户',
  analysing: '正在更新结果…',
  settingsTitle: '设置', settingsNote: '每次修改都会更新结果。标有 ↻ 的设置会重新读取文件（文件保存在 Worker 中）。',
  asOf: '分析日期', asOfHelp: '留空 = 最后一笔订单的次日。',
  bins: '评分档数', method: '分档方法', methodEdges: '分位数边界（相同值同档）', methodRankFirst: '按排名等分',
  cutsRecency: '最近消费切分点（天）', cutsFrequency: '频次切分点（单）', cutsMonetary: '金额切分点',
  cutsHelp: 'N − 1 个递增数字，逗号分隔；留空 = 分位数。',
  preset: '分群规则', dateOrder: '日期顺序', dateAuto: '自动识别', dateDmy: '日在前（31/12/2024）', dateMdy: '月在前（12/31/2024）',
  dropZero: '剔除金额为零的行',
  saveRecipe: '保存设置（JSON）', loadRecipe: '载入设置…', resetRecipe: '恢复默认',
  recipeLoaded: '已从 {name} 载入设置。',
  columnsTitle: '列', columnsNote: '根据表头识别的列角色及置信度。修改角色会重新读取文件。',
  role: '角色', column: '列', confidence: '置信度', source: '识别方式', none: '（无）',
  role_customerId: '客户 ID', role_orderId: '订单号', role_date: '日期', role_amount: '金额', role_quantity: '数量', role_unitPrice: '单价', role_region: '地区',
  src_recipe: '您的选择', src_header: '名称完全匹配', 'src_header-partial': '名称部分匹配',
  previewTitle: '文件的前几行',
  qualityTitle: '2 · 读取情况',
  rowsRead: '读取行数', rowsUsed: '使用行数', rowsAside: '剔除行数', customers: '客户数', analysisDate: '分析日期', dateRange: '日期范围', returns: '已冲减退货',
  withBom: '（带 BOM）', tab: '制表符', space: '空格',
  datesRead: '日期按 {order} 读取{ambiguous}。', ambiguous: '（文件中有歧义：请检查日期顺序设置）',
  asideBecause: '剔除原因', rows: '行数', firstRows: '首批行号', rowN: '第 {n} 行',
  cleaningRules: '已应用的清洗规则：缺少客户 ID、日期或金额的行被剔除；负金额视为退货并冲减该客户；{zero}。',
  zeroDropped: '金额为零的行被剔除', zeroKept: '金额为零的行被保留',
  segmentsTitle: '3 · 客户分群', segmentsNote: '规则集“{rules}”，{bins} 档评分（{method}）。',
  coverageOk: '全部 {cells} 个评分格都恰好属于一个分群。',
  coverageGaps: '{cells} 个评分格中有 {n} 个不匹配任何规则（→“{fallback}”）。',
  segment: '分群', share: '占比', revenue: '收入', revenueShare: '收入占比', meanRecency: '平均最近消费（天）', meanOrders: '平均订单数', meanSpend: '平均消费额',
  shareCustomers: '客户占比', shareRevenue: '收入占比',
  thresholdsTitle: '评分切分点', metric: '指标', cuts: '切分点', collapsed: '档位合并：实际使用 {used}',
  metric_recency_days: '最近消费（天）', metric_frequency: '频次（单）', metric_monetary: '金额',
  gridTitle: 'R × FM 网格', gridNote: '每格客户数（R = 最近消费得分，FM = F 与 M 的平均值四舍五入）；颜色 = 人数；提示框：平均消费额与分群。',
  meanMonetary: '平均消费额', cellCustomers: '客户数',
  tiersTitle: '价值分层', paretoNote: '前 {top}% 的客户贡献了 {share} 的收入。',
  lifecycleTitle: '生命周期阶段', clustersTitle: '聚类', clusterMap: '客户分布图（二维投影）', kCurves: 'k 的选择', chosenK: '选定 k = {k}', profiles: '聚类画像', rulesTitle: '决策规则', fidelity: '规则与聚类结果一致的客户占 {share}。',
  support: '客户数', purity: '纯度', rule: '规则', cluster: '聚类',
  customersTitle: '4 · 客户', search: '搜索 ID 或编号', allSegments: '全部分群', allTiers: '全部层级', allLifecycle: '全部生命周期阶段', allClusters: '全部聚类',
  showing: '{shown} / {total} 个客户', customer: '客户', recencyDays: '最近消费（天）', orders: '订单数', spend: '消费额', rfm: 'RFM', tier: '层级', code: '编号', action: '建议动作', region: '地区',
  sortBy: '按{col}排序',
  crossTitle: '分群 × 地区', crossNote: '各分群在各地区的客户数；提升度 = 该分群在该地区的占比 ÷ 总体占比（大于 1 表示偏多）。', lift: '提升度',
  exportTitle: '5 · 导出', exportCsv: '客户名单（CSV）', exportXlsx: '客户名单（Excel）', exportJson: '客户名单（JSON）', exportReport: '报告（JSON）', exportSqlDuckdb: 'SQL（DuckDB）', exportSqlSpark: 'SQL（Spark）', exportRecipe: '设置（JSON）', printReport: '打印摘要 / PDF', chartPng: 'PNG',
  exportNote: '导出文件在本标签页内生成并由浏览器保存，不会上传。CSV 中可能被表格软件当作公式执行的单元格前加了单引号；Excel 文件中它们按原样保存为文本（文本单元格不会被执行）。',
  xlsxMissing: '此版本不含 Excel 导出。',
  footer: '离线运行 · 数据不离开本页面', offlineCopy: '保存单文件副本以离线使用（可直接从磁盘打开）',
  fixColumns: '请指定列，然后重新读取文件：', readAgain: '重新读取',
  ariaSegments: '各分群的客户占比与收入占比（数字见下表）', ariaGrid: '按 R 与 FM 得分的客户数热力图（每格有数字）',
  ariaTiers: '价值分层金字塔', ariaLifecycle: '生命周期阶段漏斗', ariaClusterMap: '按聚类着色的全部客户分布图', ariaKCurves: '不同聚类数 k 的质量曲线', ariaRadar: '聚类画像',
  kCurvesNote: '每条曲线按自身范围缩放（数值见提示框）：轮廓系数和 Calinski–Harabasz 越高越好，Davies–Bouldin 越低越好。',
  tierPreset: '价值分层', tierPresetPgsb: '铂金 / 黄金 / 白银 / 青铜（5/15/30/50%）', tierPresetHml: '高 / 中 / 低（20/30/50%）',
  paretoPercent: '帕累托：前百分之几的客户', lifecycleMode: '生命周期', lifecycleFixed: '固定天数', lifecycleRelative: '相对客户自身的购买间隔',
  newDays: '新客：首单距今天数不超过', activeDays: '活跃：末单距今天数不超过', dueDays: '待复购：天数不超过', lapsingDays: '流失中：天数不超过；超过即为已流失',
  codeTemplate: '编号模板', codeTemplateHelp: '例如 {region}{tier}-{seq:03}', clusterK: '聚类数（k）', kAuto: '自动（轮廓系数最优）',
  auto: '自动', crossPick: '交叉表', value_tier: '价值层级', lifecycle: '生命周期阶段',
  showCustomers: '查看这些客户', chartType: '图表', viewBar: '柱状图：客户与收入', viewTreemap: '矩形树图：客户',
  editRules: '以网格编辑规则', applyRules: '应用这些规则', customRules: '自定义规则',
  editRulesNote: '每格一个分群（行为 R，列为 FM）。输入新名称即可新建分群。应用后将以这些规则替代预设，并随设置一起保存。',
  rulesNotGrid: '此规则集还使用了 F 或 M 范围，部分格子包含多个分群：网格以规则给出的每格第一个分群作为初始值。',
  cellLabel: 'R {r}、FM {fm} 的分群',
  format_delimited: '分隔符', format_xlsx: 'Excel', format_xls: 'Excel 97–2003', format_json: 'JSON', method_custom: '自定义切分点',

  usualGap: '常规间隔（相对模式）', gapP80: '客户自身间隔的第 80 百分位', gapMean: '客户自身间隔的平均值',
  ownBands: '自定义层级（见下方）', zeroSpend: '无消费客户的层级名称', bandsTitle: '层级，从高到低（占有消费客户的比例）',
  bandShare: '比例', bandName: '第 {n} 层的名称', bandPercent: '{name} 的比例（%）', removeBand: '删除层级 {name}', addBand: '添加层级',
  bandSum: '合计：{sum}%（须为 100%）',
  secData: '数据与日期', secScores: '评分与分群', secTiers: '价值分层', secLifecycle: '生命周期',
  secCustom: '自定义层级', secCodes: '编号', secActions: '建议动作', secCluster: '聚类',
  customNote: '规则按顺序匹配，客户归入第一条满足的规则的层级。可用字段：recency_days、frequency、monetary、aov、tenure_days、mean_gap_days、r、f、m、fm、segment、tier、lifecycle、region、customer_id。',
  customExample: '例如 monetary >= 10000 and frequency >= 12', ruleN: '规则 {n}', ruleTier: '层级名称', ruleWhen: '条件',
  addRule: '添加规则', removeRule: '删除规则 {n}', moveUp: '上移规则 {n}', moveDown: '下移规则 {n}',
  otherwise: '其余客户的层级名称', ruleIncomplete: '每条规则都需要名称和条件，才能应用。',
  ruleCount: '{n} 个客户', noRules: '无规则：不生成自定义层级列。', custom_tier: '自定义层级', allCustom: '全部自定义层级', customTier: '自定义层级',
  errorAt: '第 {position} 个字符处',
  actionBasis: '建议动作依据', basis_segment: '分群', basis_tier: '价值层级', basis_lifecycle: '生命周期阶段', basis_custom: '自定义层级',
  actionLanguage: '内置文本的语言', actionsNote: '修改文本即替换内置文本；修改后的文本随设置一起保存。',
  actionFor: '{name} 的建议动作', edited: '已修改', resetOne: '{name} 恢复内置文本', resetActions: '全部恢复内置文本',
  builtIn: '内置：{text}',
  codesNote: '占位符：{region} {tier} {stage} {segment} {custom} {r} {f} {m}，以及一个 {seq} 或 {seq:04}。下方的代码替换默认代码；留空 = 默认。',
  codeMap_region: '地区代码', codeMap_tier: '价值层级代码', codeMap_stage: '生命周期阶段代码', codeMap_segment: '分群代码', codeMap_custom: '自定义层级代码',
  tokenFor: '{name} 的代码', codePreview: '当前编号：{keys} 个类别，{n} 个客户', codeExample: '首个编号', noRegion: '（无地区）',
  clusterEnabled: '进行聚类', clusterFeatures: 'k-means 使用的特征', clusterTransform: '变换', clusterScaling: '缩放',
  transform_auto: '偏态列取 log1p（自动）', transform_log1p: '所有数值列取 log1p', transform_none: '不变换',
  scaling_standard: '标准化（均值、标准差）', scaling_robust: '稳健缩放（中位数、四分位距）',
  feature_recency_days: '最近消费（天）', feature_frequency: '频次（单）', feature_monetary: '金额', feature_aov: '平均订单金额',
  feature_tenure_days: '客户时长（天）', feature_mean_gap_days: '平均下单间隔（天）', feature_region: '地区（独热编码）',
  kind_numeric: '数值列', kind_categorical: '分类列（独热编码）', featuresNeedOne: '请至少选择一个特征。',
  fromFile: '来自文件',

  readAs: '按分隔文本读取，编码 {encoding}{bom}，分隔符 {delim}。',
  readAsWorkbook: '按 {format} 工作簿读取{sheet}。', sheetNamed: '，工作表“{sheet}”',
  readAsJson: '按 JSON 读取，编码 {encoding}{bom}。',
  decisionsTitle: '文件的读取方式（每项判定都可由所列设置项覆盖）',
  decisionWhat: '判定项', decisionValue: '取值', decisionBasis: '判定依据', decisionEvidence: '证据', decisionKey: '覆盖它的设置项',
  decisionBasis_recipe: '您的设置', decisionBasis_file: '文件内容', decisionBasis_default: '默认值（文件无法判定）',
  decisionCheck: '请核对（设置项 {key}）：',
  decision_format: '文件格式', decision_encoding: '文本编码', decision_delimiter: '分隔符', decision_headerRow: '表头行',
  decision_columnRole: '{role}所在列', decision_dateOrder: '日期顺序', decision_dateFormat: '日期格式',
  decision_decimalSeparator: '小数点', decision_thousandsSeparator: '千位分隔符', decision_sheets: '读取的工作表',
  decision_duplicates: '完全相同的行', decision_customerIds: '客户 ID', decision_totals: '合计与小计行',
  decision_totalRows: '合计与小计行', decision_quotes: '引号', decision_quoting: '引号', decision_shape: '输入类型',
  decision_whitespace: '以空格分隔的列', decision_columns: '列', decision_amountUnit: '金额单位', decision_zeroAmounts: '零金额',
  decisionValue_dateOrder_dmy: '日在前（31/12/2024）', decisionValue_dateOrder_mdy: '月在前（12/31/2024）', decisionValue_dateOrder_ymd: '年在前（2024-12-31）',
  decisionValue_shape_transactions: '交易明细', decisionValue_shape_customers: '每个客户一行',
  decisionValue_duplicates_drop: '已删除', decisionValue_duplicates_keep: '保留', decisionValue_duplicates_flag: '保留并标记',
  decisionWarn_sheets: '有工作表的表头与第一个工作表不同，未被读取（表名见后面的英文说明）；如需读取，请设置 input.sheet。',
  decisionWarn_headerRow: '表头行无法由文件确定，已取默认值；请核对并用 input.headerRow 指定。',
  decisionWarn_dateOrder: '日期的日/月顺序无法由文件确定，已按默认读取；请用 input.dateOrder 指定。',
  decisionWarn_decimalSeparator: '金额的小数点无法由文件确定，已按默认读取；请核对。',
  decisionWarn_duplicates: '文件中有完全相同的行；请核对它们是重复导出还是真实的重复购买。',
  decisionWarn_customerIds: '有客户 ID 仅在大小写、全角/半角或不可见字符上不同，未被合并；请核对。',
  decisionWarn_columnRole: '此列的角色判定不够确定，或有其他列竞争同一角色；请核对。',
  decisionWarn_encoding: '文本编码无法完全确定；请核对，或用 input.encoding 指定。',
  exportPrivacy: '分享前（适用于下面所有客户名单和报告）',
  passphraseLabel: '用假名替换客户 ID：口令',
  passphraseHelp: '留空 = 真实 ID。假名是以此口令为密钥对 ID 计算的 HMAC-SHA-256（p_ 加 16 位十六进制），由本标签页中的引擎生成；同一口令在每次运行和命令行（TIERLENS_PASSPHRASE）中给出相同的假名，以后对比仍能对上。口令不会保存在任何地方：请自行保管，并使用较长的口令（手机号很容易被猜出）。',
  dropColumnsLabel: '不导出这些列：',
};

const SEGMENTS_ZH = {
  Champions: '冠军客户', 'Loyal Customers': '忠诚客户', 'Potential Loyalists': '潜在忠诚客户', 'Potential Loyalist': '潜在忠诚客户',
  'Recent Customers': '新近客户', 'New Customers': '新客户', Promising: '有潜力客户', 'Need Attention': '需要关注', 'Needs Attention': '需要关注',
  'About to Sleep': '即将沉睡', 'About To Sleep': '即将沉睡', 'At Risk': '流失风险', "Can't Lose Them": '不能失去', Hibernating: '休眠客户',
  Lost: '已流失', Others: '其他', Loyal: '忠诚', Recent: '新近', Inactive: '不活跃',
  Platinum: '铂金', Gold: '黄金', Silver: '白银', Bronze: '青铜', High: '高价值', Medium: '中价值', Low: '低价值', 'No spend': '无消费', 'No Spend': '无消费',
  New: '新客', Active: '活跃', Due: '待复购', Lapsing: '流失中', Prospect: '潜在客户', Churned: '已流失',
};

const DICTS = { en: EN, zh: ZH };
export const LANGUAGES = [['en', 'English'], ['zh', '简体中文']];

let lang = 'en';

/** Picks the starting language: a saved choice is not kept (no storage), so the browser's language. */
export function initialLanguage() {
  const wanted = (navigator.languages ?? [navigator.language]).map((l) => l.toLowerCase());
  return wanted.find((l) => l.startsWith('zh') || l.startsWith('en'))?.startsWith('zh') ? 'zh' : 'en';
}

export function setLanguage(l) { lang = DICTS[l] ? l : 'en'; }
export function language() { return lang; }
export function locale() { return lang === 'zh' ? 'zh-CN' : (navigator.language?.startsWith('en') ? navigator.language : 'en'); }

/** The string for `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = DICTS[lang][key] ?? EN[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** A segment / tier / stage name for display; data and exports keep the original name. */
export function groupLabel(name) {
  return lang === 'zh' ? (SEGMENTS_ZH[name] ?? name) : name;
}

// --- warnings (helper warnings): warnings, rejection reasons and flags worded from their codes.
// Warnings cross as { code, params, message } (src/warning.rs `CODES`); rejection reasons are the
// keys of report.rowsRejected (src/clean/accounting.rs `RejectReason::key`), flags the keys of
// report.flags. The page words a warning with t('warn_' + w.code, w.params), falling back to
// w.message. tests/js/i18n_warnings.test.mjs reads the Rust sources and fails on a missing template
// or on a {param} the code does not send. Joined into EN / ZH below, as the other dictionaries are.
export const WARNINGS = {
  en: {
    warn_one_pass_stream: 'The input was read once (a one-time stream): date order, decimal separator, customer ids and column kinds were decided from its first {sampleRows} rows, not from every row.',
    warn_unclosed_quote: '{count} row(s) open a quoted field that is never closed (first: row {row}, line {line}); each such line was set aside and reading went on at the next line.',
    warn_headerless: 'The first row holds values, not column names: it is read as data, the columns are named column1, column2, … and their roles are inferred from the values.',
    warn_weak_role_fit: 'Column "{column}" is used as the {role} ({source} match), but only {percent} % of its values read as one; check the column settings.',
    warn_bins_collapsed: '{metric}: tied values collapse the {bins} bins — only scores {scoresUsed} are used (cut points {cuts}); consider the "rankFirst" method or custom cut points.',
    warn_rules_unassigned: 'Segment rules "{ruleSet}" leave {unassigned} of {cells} score cells unassigned; those customers are in "{fallback}".',
    warn_tier_empty: 'Value tier "{tier}" is empty: too few spending customers for its share.',
    warn_cluster_one_customer: 'Clustering: only one customer — every customer is in one cluster.',
    warn_cluster_identical: 'Clustering: all customers have identical features — every customer is in one cluster.',
    warn_cluster_k_capped: 'Clustering: only {distinct} distinct customer profiles, so k was tried up to {kMax}.',
    warn_customer_id_variants: '{count} customer ids in {groups} groups differ from another only by letter case, full-width forms or invisible characters (e.g. {example}): they are kept as different customers.',
    warn_decision: '{detail}',
    warn_sql_column_omitted: 'The SQL export has no {column} column: {detail}.',
    reject_missing_customer_id: 'customer id is empty',
    reject_bad_date: 'date is empty or cannot be read as a date',
    reject_bad_amount: 'amount is empty or cannot be read as a number',
    reject_extra_fields: 'row has more non-empty cells than the header has columns',
    reject_after_as_of: 'date is after the analysis date',
    reject_zero_amount: 'amount is zero (dropped by the settings)',
    reject_duplicate_row: 'exact duplicate of an earlier row',
    reject_cancelled: 'order id marks a cancelled order',
    reject_return: 'return (negative amount or quantity), dropped by the settings',
    reject_outlier_amount: 'amount is extreme (dropped by the settings)',
    reject_bad_order_count: 'order count is empty or not a whole number ≥ 0',
    reject_duplicate_customer: 'customer id appears on an earlier row',
    reject_preamble: 'row above the header (a title or an empty row), not data',
    reject_total_row: 'total or subtotal row: a sum of other rows',
    reject_unclosed_quote: 'a quoted field is never closed: the line was set aside',
    flag_duplicate_row: 'exact repeat of an earlier row, kept (usually a repeat purchase)',
    flag_outlier_amount: 'extreme amount, used, worth a check',
    flag_customer_id_variant: 'customer ids that differ only by letter case, full-width forms or invisible characters: kept as different customers',
  },
  zh: {
    warn_one_pass_stream: '输入只读取了一遍（一次性数据流）：日期顺序、小数分隔符、客户编号和列类型是根据前 {sampleRows} 行判断的，而不是全部行。',
    warn_unclosed_quote: '有 {count} 行的引号字段没有闭合（首次出现：第 {row} 行，文件第 {line} 行）；这些行已被搁置，从下一行继续读取。',
    warn_headerless: '第一行是数据而不是列名：已作为数据读取，列名为 column1、column2……，各列用途根据取值推断。',
    warn_weak_role_fit: '列“{column}”被用作{role}（按{source}匹配），但只有 {percent}% 的值能按此读取；请检查列设置。',
    warn_bins_collapsed: '{metric}：并列的取值使 {bins} 档合并，只用到了分数 {scoresUsed}（切分点 {cuts}）；可考虑“rankFirst”方法或自定义切分点。',
    warn_rules_unassigned: '分群规则“{ruleSet}”在 {cells} 个评分格中有 {unassigned} 个未分配；这些客户归入“{fallback}”。',
    warn_tier_empty: '价值层级“{tier}”为空：有消费的客户太少，不足以填满该层的比例。',
    warn_cluster_one_customer: '聚类：只有一位客户，所有客户归为一个簇。',
    warn_cluster_identical: '聚类：所有客户的特征完全相同，所有客户归为一个簇。',
    warn_cluster_k_capped: '聚类：只有 {distinct} 种不同的客户特征，因此 k 最多尝试到 {kMax}。',
    warn_customer_id_variants: '有 {count} 个客户编号（{groups} 组）彼此只差大小写、全角字符或不可见字符（例如 {example}）：仍按不同客户处理。',
    warn_decision: '读取提示（{decision}）：{detail}',
    warn_sql_column_omitted: 'SQL 导出不含 {column} 列（{reason}：生命周期的相对模式、自定义层级或聚类特征暂无法写成 SQL）。',
    reject_missing_customer_id: '客户编号为空',
    reject_bad_date: '日期为空或无法识别',
    reject_bad_amount: '金额为空或不是数字',
    reject_extra_fields: '该行的非空单元格多于表头的列数',
    reject_after_as_of: '日期晚于分析日期',
    reject_zero_amount: '金额为零（按设置剔除）',
    reject_duplicate_row: '与前面某行完全重复',
    reject_cancelled: '订单号表明订单已取消',
    reject_return: '退货（金额或数量为负），按设置剔除',
    reject_outlier_amount: '金额异常（按设置剔除）',
    reject_bad_order_count: '订单数为空或不是非负整数',
    reject_duplicate_customer: '客户编号在前面的行中已出现',
    reject_preamble: '表头上方的行（标题或空行），不是数据',
    reject_total_row: '合计或小计行：其他行的汇总',
    reject_unclosed_quote: '引号字段没有闭合：该行已搁置',
    flag_duplicate_row: '与前面某行完全相同，已保留（通常是重复购买）',
    flag_outlier_amount: '金额异常，仍计入，建议核对',
    flag_customer_id_variant: '客户编号只差大小写、全角字符或不可见字符：仍按不同客户处理',
  },
};
Object.assign(EN, WARNINGS.en);
Object.assign(ZH, WARNINGS.zh);
// --- end warnings

// ---------------------------------------------------------------------------------------------------
// Engine errors in Chinese. The engine's errors have a stable `code` and named `params` (src/error.rs
// `Error::code`, `Error::params`); the Chinese message is worded here from those, so an English sentence
// is never shown half-translated. Free-text parts (`detail`) stay in English. Every code the engine can
// emit must be here: tests/js/i18n_errors.test.mjs reads src/error.rs and fails on a missing one.
export const ERRORS_ZH = {
  empty_input: '输入文件为空。',
  unsupported_format: '不支持的输入格式：{detail}',
  no_data_rows: '文件有表头，但没有数据行。',
  missing_column: '缺少必需的列：{role}（可识别的表头如 {lookedFor}；文件中的列：{found}）',
  unknown_column: '设置为“{role}”指定了列“{column}”，但文件中没有这一列。',
  bad_row: '第 {row} 行{atColumn}：{detail}',
  no_usable_rows: '没有可用的行：全部 {rowsRead} 个数据行均被剔除（最常见原因：{topReason}）。',
  invalid_recipe: '设置无效：{field}：{detail}',
  invalid_expression: '{field}第 {position} 个字符处有误：{detail}',
  // --- plan: recipe settings, one code per field (src/error.rs, helper `plan`). {field} is the setting
  // worded by fieldZh; settings fieldZh does not name are worded in the template itself.
  score_bins: '设置无效：{field}：{bins} 档不可用，请用 3、4 或 5。',
  cut_count: '设置无效：{field}：给出了 {given} 个切分点，{bins} 档需要 {needed} 个。',
  cut_order: '设置无效：{field}：切分点必须是有限数值且严格递增。',
  unknown_segment_preset: '设置无效：分群预设：没有名为“{name}”的预设（可用：{known}）。',
  segment_bins_mismatch: '设置无效：{field}：规则集“{ruleSet}”按 {ruleBins} 档编写，但评分档数为 {scoreBins}。',
  segment_rule_bins: '设置无效：分群规则的档数：须在 2 到 10 之间（现为 {bins}）。',
  segment_range: '设置无效：分群规则（{field}）：范围 [{lo}, {hi}] 须在 1 到 {bins} 之间，且下限不大于上限。',
  segment_name_empty: '设置无效：分群规则（{field}）：分群名称为空。',
  segment_table_rows: '设置无效：分群表格：有 {rows} 行，须为 2 到 10 行（每个 R 分一行）。',
  segment_table_row: '设置无效：分群表格：第 {row} 行有 {cells} 格，{bins}×{bins} 的表格每行需要 {bins} 格。',
  unknown_tier_preset: '设置无效：{field}：没有名为“{name}”的分层预设（可用：{known}）。',
  tier_bands_empty: '设置无效：{field}：至少需要一个分层。',
  tier_percent: '设置无效：{field}：必须是正数。',
  tier_name_empty: '设置无效：{field}：层级名称为空。',
  tier_name_twice: '设置无效：{field}：层级名称“{name}”重复使用。',
  tier_total: '设置无效：{field}：各层比例合计为 {total}，而不是 100。',
  pareto_percent: '设置无效：{field}：须大于 0 且不超过 100（现为 {percent}）。',
  negative_days: '设置无效：{field}：天数不能为负（现为 {days}）。',
  lifecycle_order: '设置无效：{field}：阈值不能递减：活跃天数 {active} ≤ 待复购天数 {due} ≤ 流失中天数 {lapsing}。',
  custom_tier_name_empty: '设置无效：{field}：层级名称为空。',
  invalid_code_template: '{field}第 {position} 个字符处有误：{detail}',
  code_token_too_long: '设置无效：编号代号表（{table}）：“{class}”的代号超过 {max} 个字符；编号应保持简短。',
  actions_need_custom_tiers: '设置无效：{field}：按自定义层级给出建议动作，需要先设置自定义层级规则。',
  as_of_required: '设置无效：{field}：文件中还没有任何客户有购买记录（每行都是潜在客户），请把分析日期设为导出文件的日期。',
  as_of_before_data: '设置无效：{field}：{asOf} 早于最后一笔交易（{latest}）；请用这个分析日期重新读取文件。',
  // --- end plan
  recipe_syntax: '无法读取设置：{detail}',
  analysis: '无法分析：{detail}',
  invalid_state: '操作顺序有误：{detail}',
  ambiguous_dates: '无法判断列“{column}”的日/月顺序：{detail}。请在设置中指定日期顺序（input.dateOrder："dmy" 日/月/年 或 "mdy" 月/日/年）。',
  ambiguous_decimal: '无法判断列“{column}”的小数分隔符：{detail}。请在设置中指定（input.decimalSeparator："." 或 ","）。',
  invalid_export: '导出选项“{option}”无效：{detail}',
  // Made by the page or its worker, not by the engine.
  engine_crashed: '文件无法读取：读取器在损坏或不支持的内容处停止（可能是损坏的 .xls 工作簿）。请另存为 .xlsx 或 .csv 后重试。',
  cancelled: '已取消。',
  internal: '内部错误：{detail}',
  worker: '分析程序出错：{detail}',
  unsupported: '此版本不支持：{detail}',
};

const ROLES_ZH = {
  'customer id': '客户 ID', date: '日期', amount: '金额', 'order id': '订单号', quantity: '数量', 'unit price': '单价', region: '地区',
  'last purchase date': '最近购买日期', 'first purchase date': '首次购买日期', 'order count': '订单数', 'total spend': '消费总额',
  'recency (days)': '最近消费（天）', 'previous code map': '上次的编号表',
};

/** A recipe path (`customTiers.rules[0].when`) in words, for the Chinese messages. */
function fieldZh(field) {
  const rule = /^customTiers\.rules\[(\d+)\]\.(when|tier)$/.exec(field ?? '');
  if (rule) return `自定义层级规则 ${Number(rule[1]) + 1} 的${rule[2] === 'when' ? '条件' : '层级名称'}`;
  const band = /^valueTiers\.bands\[(\d+)\]\.(name|percent)$/.exec(field ?? '');
  if (band) return `价值分层第 ${Number(band[1]) + 1} 层的${band[2] === 'name' ? '名称' : '比例'}`;
  const cuts = /^score\.cuts\.(recency|frequency|monetary)$/.exec(field ?? '');
  if (cuts) return `${{ recency: '最近消费', frequency: '频次', monetary: '金额' }[cuts[1]]}切分点`;
  const named = {
    'codes.template': '编号模板', 'cluster.features': '聚类特征', 'cluster.k': '聚类数 k', 'cluster.kRange': 'k 的范围',
    'score.bins': '评分档数', 'actions.basis': '建议动作依据', segments: '分群规则', 'valueTiers.bands': '价值分层',
    'valueTiers.preset': '价值分层预设', 'valueTiers.zeroSpend': '无消费客户的层级名称', 'valueTiers.paretoPercent': '帕累托百分比',
    lifecycle: '生命周期', 'lifecycle.newDays': '新客天数', 'lifecycle.activeDays': '活跃天数', 'lifecycle.dueDays': '待复购天数',
    'lifecycle.lapsingDays': '流失中天数', asOf: '分析日期',
  };
  return named[field] ?? field ?? '';
}

/** The message of an engine or page error in the page's language (English: the engine's own text). */
export function errorText(err) {
  const message = err?.message ?? String(err);
  if (lang !== 'zh') return message;
  const template = ERRORS_ZH[err?.code];
  if (!template) return message; // an unknown code: the English message rather than nothing
  const p = { detail: message, ...(err.params ?? {}) };
  if (p.role) p.role = ROLES_ZH[p.role] ?? p.role;
  if (p.field) p.field = fieldZh(p.field);
  p.atColumn = p.column ? `，列“${p.column}”` : '';
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (_, k) => {
    if (p[k] === undefined || p[k] === null) { missing = true; return ''; }
    return String(p[k]);
  });
  return missing ? message : out;
}
