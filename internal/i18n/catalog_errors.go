package i18n

// catalog is every message, by ID. It is split over several files by topic;
// each adds its entries in init so the files stay readable.
var catalog = map[string]Message{}

func add(entries map[string]Message) {
	for id, m := range entries {
		if _, dup := catalog[id]; dup {
			panic("i18n: duplicate message " + id)
		}
		catalog[id] = m
	}
}

// API problem codes (internal/api/errors.go), as "error.<code>".
func init() {
	add(map[string]Message{
		"error.malformed_request":      {"the server could not read the request", "服务器无法读取该请求"},
		"error.validation_failed":      {"some values are not acceptable", "有些值不符合要求"},
		"error.body_too_large":         {"the request is too large (1 MiB; attachments 10 MiB)", "请求过大（上限 1 MiB，附件 10 MiB）"},
		"error.unsupported_media_type": {"wrong content type: attachments must be PDF, PNG or JPEG", "内容类型不正确：附件须为 PDF、PNG 或 JPEG"},
		"error.unauthenticated":        {"not signed in, or the login name or password is wrong", "尚未登录，或登录名、密码错误"},
		"error.token_expired":          {"your session has expired: sign in again with `beian login`", "登录已过期，请用 `beian login` 重新登录"},
		"error.forbidden":              {"you are not allowed to do this", "您无权进行此操作"},
		"error.not_found":              {"not found", "未找到"},
		"error.method_not_allowed":     {"the server does not allow this operation", "服务器不支持此操作"},
		"error.version_conflict":       {"someone changed this filing meanwhile: read it again and repeat your change", "该备案已被他人修改，请重新读取后再修改"},
		"error.precondition_required":  {"the update must name the version it changes", "更新须指明所修改的版本"},
		"error.idempotency_conflict":   {"this request key was already used for a different request", "该请求标识已用于另一请求"},
		"error.domain_taken":           {"the domain is already filed by another subject", "该域名已由其他开办主体备案"},
		"error.domain_yours":           {"You have already applied for the registration of this domain name; see your sites under review or recorded sites", "您已经申请过此域名的备案，请到审核中网站或已备案网站中查看"},
		"error.domain_claimable":       {"an earlier filing of this domain waits to be claimed: use `beian claim`", "该域名有待认领的历史备案，请使用 `beian claim`"},
		"error.login_taken":            {"the login name is already taken", "该登录名已被使用"},
		"error.mobile_taken":           {"the mobile number already belongs to an account", "该手机号已注册账号"},
		"error.subject_taken":          {"the certificate number belongs to another account: one account is one hosting subject", "该证件号码已属于其他账号：一个账号对应一个开办主体"},
		"error.subject_not_approved":   {"the site's hosting subject is not approved yet: decide the subject first (`beian review queue --kind subject`)", "该网站的开办主体尚未审核通过：请先审核主体（`beian review queue --kind subject`）"},
		"error.subject_required":       {"file the hosting subject first (`beian subject edit`)", "请先填报开办主体信息（`beian subject edit`）"},
		"error.transition_refused":     {"this filing cannot do that in its current state", "该备案在当前状态下不能进行此操作"},
		"error.sms_code_invalid":       {"the SMS verification code is wrong or expired", "短信验证码错误或已过期"},
		"error.sms_blacklisted":        {"the SMS provider refuses this mobile number; contact the platform's support address", "短信服务商拒绝向该手机号发送短信，请联系平台客服邮箱"},
		"error.claim_refused":          {"the proof does not match the earlier filing", "所提供的证明与历史备案不符"},
		"error.rate_limited":           {"too many requests: wait a moment and try again", "请求过于频繁，请稍后再试"},
		"error.unavailable":            {"the server is temporarily unavailable: try again later", "服务器暂时不可用，请稍后再试"},
		"error.internal":               {"the server failed; try again, and report it if it persists", "服务器内部错误，请重试；如持续出现请报告"},

		// Client-side codes (not from the API).
		"error.server_unreachable": {"cannot reach the server at %s: %v", "无法连接服务器 %s：%v"},
		"error.server_timeout":     {"the server at %s did not answer in time", "服务器 %s 未及时响应"},
		"error.server_bad_answer":  {"the server at %s misbehaved: %v", "服务器 %s 行为异常：%v"},
		"error.config_missing":     {"config file %s does not exist", "配置文件 %s 不存在"},
		"error.unknown_profile":    {"profile %q is not in the config file", "配置文件中没有名为 %q 的配置组"},
		"error.unknown_key":        {"unknown config key %q (see `beian config list`)", "未知的配置项 %q（见 `beian config list`）"},
		"error.invalid_value":      {"invalid value for %s: %v", "%s 的取值无效：%v"},
		"error.config_unreadable":  {"cannot use config file %s: %v", "无法使用配置文件 %s：%v"},
		"error.missing_flag":       {"a value is missing and there is no terminal to ask for it (or --no-input is set): give %s", "缺少必要的值，且无法交互询问（没有终端或设置了 --no-input）：请使用 %s"},
		"error.usage":              {"%v", "%v"},
		"error.not_signed_in":      {"not signed in to %s: run `beian login`", "尚未登录 %s，请运行 `beian login`"},
		"error.cancelled":          {"cancelled", "已取消"},
		"error.yaml_invalid":       {"%s is not a valid filing document: %v", "%s 不是有效的备案文件：%v"},
		"error.field_line":         {"  %s: %s", "  %s：%s"},
		"error.request_id":         {"request ID: %s", "请求编号：%s"},
		"error.retry_after":        {"try again in %d s", "请 %d 秒后重试"},
		"error.site_state":         {"site %s is %s", "网站 %s 当前状态：%s"},
		"error.record_number":      {"record number: %s", "备案号：%s"},
		"error.prefix":             {"beian: ", "beian："},
	})
}
