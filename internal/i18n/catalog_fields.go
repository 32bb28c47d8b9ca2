package i18n

// Field rule codes, as "field.<code>": internal/filing (errors.go),
// internal/ident (errors.go), internal/domainname (errors.go) and
// internal/recordno (error and warning codes).
func init() {
	add(map[string]Message{
		// internal/filing
		"field.required_missing":        {"required", "必填"},
		"field.enum_invalid":            {"not one of the allowed values", "不是允许的取值"},
		"field.not_applicable":          {"must be empty here", "此处应为空"},
		"field.too_long":                {"too long", "内容过长"},
		"field.date_invalid":            {"not a date in the form YYYY-MM-DD", "不是 YYYY-MM-DD 格式的日期"},
		"field.date_in_future":          {"the date is in the future", "日期晚于今天"},
		"field.date_in_past":            {"the document has expired", "证件已过期"},
		"field.area_invalid":            {"not a GB/T 2260 area code", "不是 GB/T 2260 行政区划代码"},
		"field.area_not_county":         {"choose a current county-level area", "请选择现行的县级行政区划"},
		"field.area_not_current_county": {"choose a current county-level area (not a province, a city or a retired code)", "请选择现行的县级行政区划（不能是省、市或已撤销的代码）"},
		"field.domain_not_first_level":  {"not a first-level domain: give the registrable domain (example.com.cn) or use a homepage URL", "不是一级域名：请填写可注册的域名（如 example.com.cn），或改填网站首页地址"},
		"field.domain_duplicate":        {"the same domain is given twice", "域名重复填写"},
		"field.value_duplicate":         {"the same value is listed twice", "取值重复"},
		"field.attachment_required":     {"an attachment is required", "须上传附件"},
		"field.attachment_type_invalid": {"attachments must be PDF, PNG or JPEG", "附件须为 PDF、PNG 或 JPEG"},
		"field.attachment_too_large":    {"the attachment is over 10 MiB", "附件超过 10 MiB"},
		"field.phone_invalid":           {"not a landline, mobile or service number", "不是有效的固定电话、手机或服务号码"},
		"field.invalid":                 {"invalid", "无效"},

		// internal/ident
		"field.uscc_length":            {"a unified social credit code has 18 characters", "统一社会信用代码应为 18 位"},
		"field.uscc_charset":           {"the unified social credit code has a character outside 0-9 and A-Z (without I, O, S, V, Z)", "统一社会信用代码含有非法字符（仅限 0-9 与除 I、O、S、V、Z 外的大写字母）"},
		"field.uscc_checksum":          {"the check character of the unified social credit code is wrong", "统一社会信用代码校验位错误"},
		"field.org_code_length":        {"an organisation code has 8 characters and a check character", "组织机构代码应为 8 位本体代码加 1 位校验码"},
		"field.org_code_charset":       {"the organisation code has a character outside 0-9 and A-Z", "组织机构代码含有非法字符"},
		"field.org_code_checksum":      {"the check character of the organisation code is wrong", "组织机构代码校验码错误"},
		"field.resident_id_length":     {"a resident identity number has 18 characters", "居民身份证号码应为 18 位"},
		"field.resident_id_charset":    {"a resident identity number is 17 digits and a digit or X", "居民身份证号码应为 17 位数字加 1 位数字或 X"},
		"field.resident_id_checksum":   {"the check character of the resident identity number is wrong", "居民身份证号码校验码错误"},
		"field.resident_id_birth_date": {"the birth date in the resident identity number is invalid", "居民身份证号码中的出生日期无效"},
		"field.resident_id_area":       {"the area code in the resident identity number is invalid", "居民身份证号码中的地区码无效"},
		"field.mobile_invalid":         {"a mobile number is 11 digits starting 13–19, optionally after +86", "手机号码应为以 13–19 开头的 11 位数字，可带 +86"},
		"field.landline_invalid":       {"a landline is an area code and a 7- or 8-digit number, such as 027-87654321", "固定电话应为区号加 7 或 8 位号码，如 027-87654321"},
		"field.email_invalid":          {"the email address is invalid", "电子邮箱地址无效"},
		"field.icp_invalid":            {"not a MIIT ICP number such as 鄂ICP备17001107号-1", "不是有效的工信部备案号，如 鄂ICP备17001107号-1"},

		// internal/domainname
		"field.domain_empty":           {"no domain given", "未填写域名"},
		"field.domain_invalid":         {"not a valid domain name (IDNA2008)", "不是有效的域名（IDNA2008）"},
		"field.domain_invalid_char":    {"the domain has a character no host name may hold", "域名含有非法字符"},
		"field.domain_is_url":          {"give the bare domain, not a URL", "请填写域名本身，而不是网址"},
		"field.domain_is_ip":           {"an IP address is not a domain: use a homepage URL instead", "IP 地址不是域名，请改填网站首页地址"},
		"field.domain_label_empty":     {"the domain has an empty label (two dots in a row?)", "域名中有空的标签（连续两个点？）"},
		"field.domain_label_too_long":  {"a label of the domain is over 63 characters", "域名的某一级超过 63 个字符"},
		"field.domain_too_long":        {"the domain is over 253 characters", "域名超过 253 个字符"},
		"field.domain_leading_hyphen":  {"a label of the domain starts with a hyphen", "域名的某一级以连字符开头"},
		"field.domain_trailing_hyphen": {"a label of the domain ends with a hyphen", "域名的某一级以连字符结尾"},
		"field.domain_public_suffix":   {"the name is a public suffix itself (com.cn, 中国), not a domain", "该名称本身是公共后缀（如 com.cn、中国），不是域名"},
		"field.domain_unknown_tld":     {"unknown top-level domain", "未知的顶级域名"},
		"field.ip_invalid":             {"neither an IP address nor a CIDR block", "不是 IP 地址或 CIDR 地址段"},
		"field.ip_host_bits_set":       {"the block has host bits set (write 192.0.2.0/24, not 192.0.2.10/24)", "地址段的主机位不为零（应写作 192.0.2.0/24 而非 192.0.2.10/24）"},
		"field.ip_zone_forbidden":      {"an address with a zone (%eth0) means nothing outside one machine", "带区域标识（%eth0）的地址不能用于备案"},
		"field.ip_not_public":          {"not a public address (private, loopback, documentation...)", "不是公网地址（私有、环回、文档示例等）"},
		"field.homepage_empty":         {"no homepage URL given", "未填写网站首页地址"},
		"field.homepage_invalid":       {"the homepage is not a URL", "网站首页地址不是有效网址"},
		"field.homepage_scheme":        {"the homepage must be http:// or https://", "网站首页地址须以 http:// 或 https:// 开头"},
		"field.homepage_userinfo":      {"the homepage URL must not hold a user name or password", "网站首页地址中不能包含用户名或密码"},
		"field.homepage_port":          {"the port must be 1–65535", "端口须在 1–65535 之间"},

		// internal/recordno: errors
		"field.record_number_empty":    {"no record number given", "未提供备案号"},
		"field.record_number_format":   {"not a public-security record number; expected a form such as 鄂公网安备 42011102000410号", "不是公安联网备案号，格式应如 鄂公网安备 42011102000410号"},
		"field.record_number_area":     {"the first six digits of the record number are not an area code of a province", "备案号前六位不是有效的行政区划代码"},
		"field.record_number_sequence": {"the record number's sequence must be from 1 to 999999", "备案号顺序号须在 1 到 999999 之间"},
		// internal/recordno: warnings
		"field.prefix_mismatch":      {"the province abbreviation disagrees with the digits; the digits decide", "省份简称与数字不符，以数字为准"},
		"field.unknown_prefix":       {"the character before 公网安备 is not a province abbreviation; the digits decide", "公网安备前的字不是省份简称，以数字为准"},
		"field.alias_prefix":         {"an alias abbreviation (黔, 云, 蜀); record numbers use 贵, 滇, 川", "使用了别称简称（黔、云、蜀），备案号使用贵、滇、川"},
		"field.missing_abbreviation": {"the province abbreviation before 公网安备 is missing", "公网安备前缺少省份简称"},
		"field.bare_digits":          {"only the digits were given", "只提供了数字部分"},
		"field.no_space":             {"a space belongs between 公网安备 and the digits", "公网安备与数字之间应有一个空格"},
		"field.missing_hao":          {"the number should end with 号", "备案号末尾应有“号”字"},
		"field.legacy_12_digits":     {"a legacy 12-digit number from before the national platform", "全国平台之前的 12 位旧备案号"},
		// internal/badge
		"field.badge_format_unknown": {"unknown badge format: use html, html-legacy, markdown, text or json", "未知的徽标格式：可用 html、html-legacy、markdown、text 或 json"},
		"field.badge_number_empty":   {"the badge has no record number", "徽标缺少备案号"},
		"field.badge_code_invalid":   {"the record code is not 14 (or, legacy, 12) digits", "备案编码不是 14 位（旧号为 12 位）数字"},
		"field.badge_code_mismatch":  {"the record code is not the digits of the number", "备案编码与备案号的数字不一致"},
		"field.badge_icp_missing":    {"the ICP line was asked for, but there is no ICP number", "要求显示 ICP 备案号，但没有 ICP 备案号"},
		"field.badge_link_template":  {"the link template has no {code}", "链接模板中缺少 {code}"},
		"field.badge_base_missing":   {"the link or icon needs the server's base URL", "链接或图标需要服务器的基础地址"},
		"field.badge_url_unsafe":     {"a link or icon URL must be an absolute http(s) URL", "链接或图标地址必须是完整的 http(s) 地址"},

		"field.type_digits": {"digits 7–8 are not 02 as on the national platform", "第 7–8 位不是全国平台使用的 02"},
	})
}
