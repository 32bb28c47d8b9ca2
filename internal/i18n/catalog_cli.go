package i18n

// Messages of the client itself: notices, prompts, table headers, help topics.
func init() {
	add(map[string]Message{
		"cli.sandbox_notice": {
			"sandbox: nothing is filed with any authority; to file for real, run `beian config set server URL`",
			"沙箱模式：不会向任何主管部门提交备案；如需正式备案，请运行 `beian config set server URL`",
		},
		"cli.credentials_repaired": {
			"warning: %s was readable by others; its mode is now 0600",
			"警告：%s 可被他人读取，已将其权限改为 0600",
		},
		"cli.usage_hint": {"Run `beian <command> --help` for usage.", "运行 `beian <命令> --help` 查看用法。"},
	})
}

// Site states and the status view.
func init() {
	add(map[string]Message{
		"state.draft":               {"draft", "草稿"},
		"state.under_review":        {"under review", "审核中"},
		"state.returned":            {"returned", "已退回"},
		"state.recorded":            {"recorded", "已备案"},
		"state.change_under_review": {"change under review", "变更审核中"},
		"state.cancel_under_review": {"cancellation under review", "注销审核中"},
		"state.cancelled":           {"cancelled", "已注销"},
		"state.unrecorded":          {"unrecorded (earlier filing)", "未备案（历史备案）"},
		"state.to_claim":            {"to claim", "待认领"},

		"status.site":           {"Site", "网站"},
		"status.state":          {"State", "状态"},
		"status.record_number":  {"Record number", "备案号"},
		"status.domains":        {"Domains", "域名"},
		"status.homepage":       {"Homepage", "首页地址"},
		"status.return_reason":  {"Return reason", "退回原因"},
		"status.change_request": {"Open request", "待审申请"},
		"status.change_reason":  {"Request reason", "申请原因"},
		"status.late":           {"Late", "逾期"},
		"status.late_yes":       {"filed after the deadline from the launch date", "晚于开通日期后的备案期限"},
		"status.submitted_at":   {"Submitted", "提交时间"},
		"status.recorded_at":    {"Recorded", "备案时间"},
		"status.waiting":        {"waiting for the review of %s: %s", "正在等待 %s 的审核结果：%s"},
		"status.wait_timeout":   {"%s is still under review after %s", "%s 在 %s 后仍在审核中"},
	})
}

// check
func init() {
	add(map[string]Message{
		"check.domain":         {"DOMAIN", "域名"},
		"check.status":         {"STATUS", "结果"},
		"check.detail":         {"DETAIL", "说明"},
		"check.taken_recorded": {"filed by another subject: %s", "已由其他主体备案：%s"},
	})
}

// sites
func init() {
	add(map[string]Message{
		"sites.none":          {"no sites", "没有网站"},
		"sites.list":          {"LIST", "列表"},
		"sites.id":            {"ID", "编号"},
		"sites.name":          {"NAME", "网站名称"},
		"sites.domain":        {"DOMAIN", "域名"},
		"sites.state":         {"STATE", "状态"},
		"sites.record_number": {"RECORD NUMBER", "备案号"},
		"list.under_review":   {"under review", "审核中"},
		"list.recorded":       {"recorded", "已备案"},
		"list.drafts":         {"drafts", "草稿"},
		"list.unrecorded":     {"unrecorded", "未备案"},
		"list.to_claim":       {"to claim", "待认领"},
		"list.cancelled":      {"cancelled", "已注销"},
	})
}

// badge
func init() {
	add(map[string]Message{
		"badge.warning": {"warning: %s", "警告：%s"},
	})
}

// Accounts and the subject.
func init() {
	add(map[string]Message{
		"login.prompt_login":                {"Login name: ", "登录名："},
		"login.prompt_password":             {"Password: ", "密码："},
		"login.done":                        {"signed in as %s at %s", "已以 %s 身份登录 %s"},
		"logout.done":                       {"signed out %s from %s", "已注销 %s（服务器 %s）"},
		"logout.all_done":                   {"signed out %s everywhere: every session on %s has ended", "已在所有设备上注销 %s：%s 上的全部会话均已结束"},
		"logout.sandbox":                    {"the local sandbox signs its account in by itself; there is nothing to sign out of (`beian sandbox reset` starts it over)", "本地沙箱会自动登录其账号，无需退出（`beian sandbox reset` 可重新开始）"},
		"logout.not_signed_in":              {"not signed in to %s", "尚未登录 %s"},
		"logout.env_token":                  {"the token comes from BEIAN_TOKEN: unset it to sign out", "令牌来自 BEIAN_TOKEN 环境变量，取消设置即可退出"},
		"register.prompt_mobile":            {"Mobile number: ", "手机号码："},
		"register.prompt_email":             {"Email: ", "电子邮箱："},
		"register.prompt_code":              {"Verification code: ", "短信验证码："},
		"register.prompt_password":          {"Choose a password: ", "设置密码："},
		"file.unchecked_domains":            {"warning: the duplicate check of %s could not be made (the server did not answer); the server checks again when the site is submitted", "警告：未能检查 %s 是否重复（服务器未响应）；提交时服务器会再次检查"},
		"file.attachment_refused":           {"%s was refused: %s; choose another file (beian file --resume asks for it)", "%s 被拒绝：%s；请换一个文件（beian file --resume 会重新询问）"},
		"register.prompt_password_again":    {"The password again: ", "再次输入密码："},
		"register.password_mismatch":        {"the two passwords differ; choose one again", "两次输入的密码不一致，请重新设置"},
		"sms.waiting":                       {"a code was sent to this number moments ago; the next one can be sent in %d s…", "刚向该号码发送过验证码；%d 秒后可再次发送…"},
		"register.code_sent":                {"a verification code was texted to %s", "验证码已发送至 %s"},
		"register.done":                     {"account %s created", "账号 %s 已创建"},
		"whoami.login":                      {"Login", "登录名"},
		"whoami.role":                       {"Role", "角色"},
		"whoami.mobile":                     {"Mobile", "手机"},
		"whoami.email":                      {"Email", "邮箱"},
		"whoami.verified":                   {"verified", "已验证"},
		"whoami.unverified":                 {"not verified", "未验证"},
		"whoami.server":                     {"Server", "服务器"},
		"whoami.sandbox":                    {"the local sandbox", "本地沙箱"},
		"subject.none":                      {"the account has no subject yet: file one with `beian subject edit --from FILE` or `beian file`", "该账号尚未填报开办主体，请使用 `beian subject edit --from FILE` 或 `beian file`"},
		"subject.state":                     {"State", "状态"},
		"subject.return_reason":             {"Return reason", "退回原因"},
		"subject.name":                      {"Name", "名称"},
		"subject.kind":                      {"Kind", "类型"},
		"subject.cert":                      {"Certificate", "证件"},
		"subject.legal_rep":                 {"Legal representative", "法定代表人"},
		"subject.address":                   {"Office address", "办公地址"},
		"subject.mobile":                    {"Mobile", "手机"},
		"subject.email":                     {"Email", "邮箱"},
		"subject.responsible":               {"Responsible person", "负责人"},
		"subject.saved":                     {"subject saved: %s", "开办主体已保存：%s"},
		"subject.amended":                   {"subject amended: %s", "开办主体已变更：%s"},
		"subject_state.draft":               {"draft", "草稿"},
		"subject_state.under_review":        {"under review", "审核中"},
		"subject_state.approved":            {"approved", "已通过"},
		"subject_state.returned":            {"returned", "已退回"},
		"subject_state.change_under_review": {"change under review", "变更审核中"},
	})
}

// cancel, claim, notifications, config, sandbox
func init() {
	add(map[string]Message{
		"cancel.prompt_reason":  {"Reason for cancelling: ", "注销原因："},
		"cancel.confirm":        {"Cancel the filing of %s (%s)? [y/N] ", "确定注销 %s（%s）的备案吗？[y/N] "},
		"cancel.requested":      {"cancellation of %s requested: it is reviewed, and the site stays recorded meanwhile", "已申请注销 %s：申请将被审核，审核期间网站仍保持已备案状态"},
		"claim.done":            {"claimed: draft %[1]s; supplement it with `beian edit %[1]s`, then `beian submit %[1]s`", "已认领：草稿 %[1]s；请用 `beian edit %[1]s` 补充信息，再用 `beian submit %[1]s` 提交"},
		"notifications.none":    {"no notifications", "没有通知"},
		"notifications.id":      {"ID", "编号"},
		"notifications.time":    {"TIME", "时间"},
		"notifications.title":   {"TITLE", "标题"},
		"notifications.body":    {"MESSAGE", "内容"},
		"notifications.marked":  {"%d notification(s) marked read", "已将 %d 条通知标为已读"},
		"config.set":            {"%s written to %s", "已将 %s 写入 %s"},
		"config.key":            {"KEY", "配置项"},
		"config.value":          {"VALUE", "取值"},
		"config.source":         {"SOURCE", "来源"},
		"sandbox.serving":       {"sandbox serving at %s (database %s); nothing is filed with any authority; Ctrl-C stops it", "沙箱服务运行于 %s（数据库 %s）；不会向任何主管部门提交备案；按 Ctrl-C 停止"},
		"sandbox.stopped":       {"sandbox stopped", "沙箱服务已停止"},
		"sandbox.reviewed":      {"automatic review decided %d item(s)", "自动审核处理了 %d 项"},
		"sandbox.sent":          {"SENT", "发送时间"},
		"sandbox.channel":       {"CHANNEL", "渠道"},
		"sandbox.to":            {"TO", "接收方"},
		"sandbox.code":          {"CODE", "验证码"},
		"sandbox.body":          {"MESSAGE", "内容"},
		"sandbox.confirm_reset": {"Delete the sandbox %s and everything filed in it? [y/N] ", "确定删除沙箱 %s 及其中的全部备案吗？[y/N] "},
		"sandbox.reset":         {"sandbox deleted: %s", "沙箱已删除：%s"},
	})
}
