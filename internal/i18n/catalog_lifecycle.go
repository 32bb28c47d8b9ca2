package i18n

// Messages of the lifecycle commands: edit, submit, claim, review, account
// recovery.
func init() {
	add(map[string]Message{
		"cancel.not_now": {"%s is %s: only a recorded site with no request under review can be cancelled; next: %s",
			"%s 当前为%s：只有已备案且没有待审申请的网站可以注销；下一步：%s"},
		"edit.not_editable": {"%s is %s: only a draft or returned site is edited and submitted; next: %s",
			"%s 当前为%s：只有草稿或已退回的网站可以修改和提交；下一步：%s"},
		"edit.return_reason":           {"returned by the reviewer: %s", "审核退回原因：%s"},
		"edit.saved":                   {"saved %s (version %d)", "已保存 %s（版本 %d）"},
		"edit.submit_hint":             {"it stays a draft; submit it with `beian submit %s`", "网站仍为草稿；请用 `beian submit %s` 提交审核"},
		"edit.stale":                   {"%[1]s was changed after it was read (in another window, or by a colleague); nothing was overwritten: run the command again to start from the current values (`beian status %[1]s` shows them)", "%[1]s 在读取之后已被修改（其他窗口或同事）；未覆盖任何内容：请重新运行命令，从当前内容开始（`beian status %[1]s` 可查看）"},
		"edit.returned_again":          {"returned: %s; fix it with `beian edit %s`", "已退回：%s；请用 `beian edit %s` 修改"},
		"edit.changes":                 {"Changes:", "修改内容："},
		"edit.key_mark":                {"(key field)", "（关键字段）"},
		"subject.ignored":              {"note: ignored the fields the server sets: %s", "提示：已忽略由服务器设置的字段：%s"},
		"sites.next":                   {"NEXT", "下一步"},
		"claim.not_claimable":          {"%s is not an earlier filing waiting to be claimed (%s)", "%s 不是待认领的历史备案（%s）"},
		"claim.already_yours":          {"%s is already yours (%s); next: %s", "%s 已属于您（%s）；下一步：%s"},
		"claim.publish":                {"to prove you control the domain, publish this line at %s (valid until %s):", "为证明您控制该域名，请在 %s 发布下面这一行（有效期至 %s）："},
		"claim.old_number_ignored":     {"warning: --old-record-number is ignored: the old number is printed in the old site's footer, so it proves nothing", "警告：已忽略 --old-record-number：原备案号印在旧网站页脚，任何人都能读到，不能作为证明"},
		"claim.then":                   {"then run `beian claim %s` again", "然后再次运行 `beian claim %s`"},
		"claim.challenge_needs_domain": {"--challenge needs the domain of an earlier filing waiting to be claimed", "--challenge 需要待认领历史备案的域名"},
	})
}

// review
func init() {
	add(map[string]Message{
		"review.competing":         {"Competing claim", "竞争认领"},
		"review.lookalike":         {"Lookalike", "仿冒风险"},
		"review.lookalike_detail":  {"%s: the label %q mixes scripts (%s) and may imitate another domain", "%s：标签 %q 混用了多种文字（%s），可能仿冒其他域名"},
		"check.warning":            {"warning: %s", "警告：%s"},
		"review.downloaded":        {"saved %s to %s (%d bytes)", "已将 %s 保存到 %s（%d 字节）"},
		"review.no_attachments":    {"%s has no attachments", "%s 没有附件"},
		"review.download_no_site":  {"--download: %s is a subject, which has no attachments", "--download：%s 是主体，没有附件"},
		"review.empty":             {"nothing waits for your review", "没有待审核的事项"},
		"review.item":              {"ITEM", "事项"},
		"review.kind":              {"KIND", "类型"},
		"review.area":              {"AREA", "地区"},
		"review.subject":           {"SUBJECT", "开办主体"},
		"review.site":              {"SITE", "网站"},
		"review.submitted":         {"SUBMITTED", "提交时间"},
		"review.kind.subject":      {"subject", "开办主体"},
		"review.kind.site":         {"site", "网站备案"},
		"review.kind.change":       {"change", "变更"},
		"review.kind.cancel":       {"cancellation", "注销"},
		"review.ip":                {"IP addresses", "IP地址"},
		"review.icp":               {"ICP number", "ICP备案号"},
		"review.launch":            {"Launch date", "开通日期"},
		"review.access_provider":   {"Access provider", "接入服务商"},
		"review.important_field":   {"Important field", "重要领域"},
		"review.attachment":        {"Attachment", "附件"},
		"review.old_record_number": {"Earlier record number", "原备案号"},
		"review.change":            {"Change", "变更内容"},
		"review.history":           {"History", "历史"},
		"review.forbidden":         {"this account may not review this: the review commands are for reviewers of the filing's area and admins (`beian whoami` shows your role and area)", "当前账号无权审核此事项：审核命令仅限该地区的审核员和管理员使用（`beian whoami` 可查看角色和地区）"},
		"review.not_queued":        {"%s is not in your review queue (`beian review queue` lists it)", "%s 不在您的待审核队列中（`beian review queue` 可查看）"},
		"review.subject_decided":   {"subject of account %s: %s", "账号 %s 的开办主体：%s"},
		"review.site_decided":      {"site %s: %s", "网站 %s：%s"},
	})
}

// password reset, email verification, support
func init() {
	add(map[string]Message{
		"password.code_hint":        {"then set the new password: beian password reset --mobile %s --sms-code CODE --password-stdin", "然后设置新密码：beian password reset --mobile %s --sms-code 验证码 --password-stdin"},
		"password.prompt_new":       {"New password: ", "新密码："},
		"password.prompt_again":     {"New password again: ", "再次输入新密码："},
		"password.mismatch":         {"the two passwords differ; nothing was changed", "两次输入的密码不一致；未作任何修改"},
		"password.done":             {"password changed; every session of the account ended: sign in with `beian login`", "密码已修改，账号的所有会话均已退出：请用 `beian login` 重新登录"},
		"account.email_code_sent":   {"a code was sent to the account's email", "验证码已发送至账号邮箱"},
		"account.email_code_hint":   {"then confirm it: beian account verify-email --code CODE", "然后确认：beian account verify-email --code 验证码"},
		"account.prompt_email_code": {"Code from the email: ", "邮件中的验证码："},
		"account.email_verified":    {"email verified", "邮箱已验证"},
		"sandbox.outbox_of":         {"the outbox of %s", "%s 的发件箱"},
		"sandbox.no_outbox":         {"%s is not a sandbox server: it keeps no outbox (its SMS and email reach real phones and mailboxes)", "%s 不是沙箱服务器，没有发件箱（短信和邮件会发送到真实的手机和邮箱）"},
		"cli.support":               {"help: contact the filing server's support at %s", "如需帮助，请联系备案服务器的支持邮箱：%s"},
	})
}
