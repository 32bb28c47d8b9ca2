package i18n

// `beian plan`, `beian apply` and `beian sites --output csv|xlsx`
// (internal/cli/cmd/fleetcmd).
func init() {
	add(map[string]Message{
		"fleet.subject":           {"Subject %s (account: %s)", "主体 %s（账号：%s）"},
		"fleet.subject_step":      {"hosting subject: %s", "开办主体：%s"},
		"fleet.action.create":     {"create and submit", "新建并提交"},
		"fleet.action.update":     {"update and submit", "修改并提交"},
		"fleet.action.submit":     {"submit", "提交"},
		"fleet.action.amend":      {"amend", "变更"},
		"fleet.action.none":       {"no change", "无变化"},
		"fleet.action.wait":       {"waits for review", "等待审核"},
		"fleet.action.blocked":    {"blocked", "无法处理"},
		"fleet.action.cancel":     {"cancel", "注销"},
		"fleet.action.keep":       {"not in the fleet, kept", "不在清单中，保留"},
		"fleet.key":               {"key field: a change request for review", "关键字段：提交变更审核"},
		"fleet.nonkey":            {"non-key: applied at once", "非关键字段：立即生效"},
		"fleet.key_field":         {"key field", "关键字段"},
		"fleet.nonkey_field":      {"non-key field", "非关键字段"},
		"fleet.unchanged":         {"%d sites unchanged", "%d 个网站无变化"},
		"fleet.prune_hint":        {"%d sites of the account are not in the fleet; `--prune` cancels them", "账号中有 %d 个网站不在清单中；`--prune` 将注销它们"},
		"fleet.totals":            {"Plan: %d to create, %d to update, %d to submit, %d to amend (%d with key changes), %d to cancel; %d unchanged, %d waiting, %d blocked.", "计划：新建 %d 个，修改 %d 个，提交 %d 个，变更 %d 个（其中 %d 个含关键字段），注销 %d 个；无变化 %d 个，等待审核 %d 个，无法处理 %d 个。"},
		"fleet.problems":          {"%d sites or subjects have problems (above); nothing can be applied until they are fixed", "%d 个网站或主体有问题（见上）；修正之前不会提交任何内容"},
		"fleet.no_changes":        {"No changes: the server holds what the fleet says.", "无变化：服务器上的备案与清单一致。"},
		"fleet.confirm":           {"Apply these changes? [y/N] ", "执行以上变更？[y/N] "},
		"fleet.confirm_prune":     {"This cancels %d filings that are not in the fleet. Type yes to go on: ", "将注销 %d 个不在清单中的备案。输入 yes 继续："},
		"fleet.unfinished":        {"an earlier apply of this fleet did not finish (%s): run `beian apply %s --resume` to finish it without filing anything twice", "此前对该清单的 apply 未完成（%s）：请运行 `beian apply %s --resume` 继续，不会重复提交"},
		"fleet.nothing_to_resume": {"there is no interrupted apply of this fleet to resume; run `beian apply %s`", "没有可继续的未完成 apply；请运行 `beian apply %s`"},
		"fleet.step_done":         {"%-8s %s  %s", "%-8s %s  %s"},
		"fleet.failed":            {"%d of %d steps failed; the journal is kept: fix them and run `beian apply %s --resume`", "%d/%d 个步骤失败；已保留日志：修正后运行 `beian apply %s --resume`"},
		"fleet.applied":           {"applied %d steps", "已执行 %d 个步骤"},
		"fleet.col.subject":       {"SUBJECT", "主体"},
		"fleet.col.site":          {"SITE", "网站"},
		"fleet.col.action":        {"ACTION", "操作"},
		"fleet.col.result":        {"RESULT", "结果"},
		"fleet.col.state":         {"STATE", "状态"},
		"fleet.ok":                {"ok", "成功"},
		"fleet.xlsx_needs_file":   {"--output xlsx writes a workbook: give --file PATH", "--output xlsx 输出工作簿：请用 --file 指定文件"},
		"fleet.exported":          {"wrote %d sites to %s", "已将 %d 个网站写入 %s"},
	})
}
