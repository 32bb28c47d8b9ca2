package i18n

// Help in Chinese: every command's short and long description and every
// flag's usage, keyed by the command's path without "beian" ("" is beian
// itself, "review show" a subcommand). The English text lives with the
// command, where it is written; cli.LocalizeHelp puts these in its place
// when messages are in Chinese, and a test checks that no command or flag
// is missing. Backquoted words in flag usages are the value's name in the
// usage line, as cobra shows them: keep them.

// CommandHelp is one command's Chinese help.
type CommandHelp struct {
	Short, Long string
	Flags       map[string]string
}

// HelpZH returns the Chinese help of the command at path.
func HelpZH(path string) (CommandHelp, bool) {
	h, ok := helpZH[path]
	return h, ok
}

// GlobalFlagZH returns the Chinese usage of a persistent flag of beian.
func GlobalFlagZH(name string) (string, bool) {
	u, ok := globalFlagsZH[name]
	return u, ok
}

var globalFlagsZH = map[string]string{
	"accessible": "纯文本逐行提问，适合读屏软件（BEIAN_ACCESSIBLE）",
	"ca-cert":    "另外信任 PEM `FILE` 中的证书颁发机构（可重复；BEIAN_CA_CERT）",
	"config":     "从 `FILE` 读取设置，该文件必须存在（BEIAN_CONFIG）",
	"debug":      "在标准错误输出中跟踪 HTTP 请求，密钥已隐去（BEIAN_DEBUG）",
	"jq":         "用 jq `EXPRESSION` 过滤 JSON 输出（即输出 JSON）",
	"lang":       "消息语言：zh 或 en（BEIAN_LANG，否则取系统语言环境）",
	"no-input":   "从不提问：缺少的值直接报错并指出对应选项（BEIAN_NO_INPUT）",
	"output":     "查询类命令的输出格式：table、json 或 yaml（BEIAN_OUTPUT）",
	"profile":    "使用配置文件中名为 `PROFILE` 的配置组（BEIAN_PROFILE）",
	"server":     "备案服务器 `URL`；为空表示本地沙箱（BEIAN_SERVER）",
	"help":       "显示帮助",
	"version":    "显示版本",
}

const (
	flagTimeoutZH = "等待超过此时长即放弃（与 --wait 一起使用）"
	flagYesZH     = "不再询问确认"
	flagNoDescZH  = "补全时不显示说明"
	flagFromSite  = "从 YAML `FILE` 读取网站的新值（- 表示标准输入）"
	flagSetZH     = "修改一个字段：`field=value`（列表用逗号分隔；可重复）"
)

// ExampleCommentZH translates a comment line of a command's examples ("#
// File interactively"); the commands themselves are the same in every
// language.
func ExampleCommentZH(comment string) (string, bool) {
	c, ok := exampleCommentsZH[comment]
	return c, ok
}

var exampleCommentsZH = map[string]string{
	"# File a site from YAML and wait for the review":                              "# 从 YAML 备案一个网站并等待审核",
	"# Is a domain filed? (exit 0 available, 6 taken, 5 invalid)":                  "# 域名是否已备案？（退出码 0 可以备案，6 已被占用，5 无效）",
	"# Print the footer badge of a recorded site":                                  "# 输出已备案网站的页脚备案标识",
	"# Render a badge for a number filed elsewhere, offline":                       "# 离线生成其他地方备案的备案号的标识",
	"# Change the IP segment group and the ICP number (non-key: applied at once)":  "# 修改 IP 地址段和 ICP 备案号（非关键信息：立即生效）",
	"# Change the site from an edited YAML document":                               "# 用修改过的 YAML 文档变更网站",
	"# Pick the parts to change on the terminal":                                   "# 在终端上选择要变更的部分",
	"# Fix what the reviewer returned and send it again, waiting for the decision": "# 修正被退回的内容并重新提交，等待审核结果",
	"# Replace the site from an edited YAML document, keep it a draft":             "# 用修改过的 YAML 文档替换网站，仍保存为草稿",
	"# Walk the prefilled form on the terminal":                                    "# 在终端上逐页填写预填的表单",
	"# File interactively": "# 交互式备案",
	"# Print a commented template, fill it in, check it on the server, file it": "# 输出带注释的模板，填写后请服务器检查，再备案",
	"# Save as a draft only":                                  "# 只保存为草稿",
	"# Pick up the latest interrupted filing, or a given one": "# 继续最近一次中断的备案，或指定的一次",
}

var helpZH = map[string]CommandHelp{
	"": {Short: "办理网站公安联网备案",
		Long: `beian 用于办理网站的公安联网备案，跟踪审核进度，并输出页脚备案标识。

未配置服务器时，beian 使用本地沙箱，审核自动完成：不会向任何机关提交备案。
设置真实服务器：
  beian config set server https://beian.example.com`},
	"account": {Short: "验证账号的电子邮箱"},
	"account verify-email": {Short: "用发送到邮箱的验证码确认账号的电子邮箱",
		Long: `不带 --code 时，beian 会请服务器向账号邮箱发送验证码，在终端上再询问验证码。
脚本中可先运行一次以发送验证码，再带 --code 运行一次。`,
		Flags: map[string]string{"code": "发送到邮箱的验证码 `CODE`（省略则发送一个）"}},
	"amend": {Short: "变更已备案的网站",
		Long: `变更已备案的网站：交互式填写，或使用 --set / --from。

beian 会列出每个改动的字段，并分为立即生效的（非关键信息：ICP 备案号、IP 地址段、
接入服务商、域名注册服务商、网站语言、应急联络人的电话和邮箱）和需要重新审核后才生效的
（关键信息：其余全部）。关键信息变更审核期间，网站保持已备案状态，沿用原有信息。

同时包含两类改动的申请作为一个变更申请送审，除非您同意非关键部分立即生效
（--apply-non-key-now）。`,
		Flags: map[string]string{
			"apply-non-key-now": "关键信息送审时，非关键信息立即生效",
			"from":              flagFromSite,
			"set":               flagSetZH,
			"yes":               flagYesZH,
		}},
	"badge": {Short: "输出已备案网站的页脚备案标识",
		Long: `输出已备案网站必须在首页底部展示的备案标识（常见问题第 6 条）：图标和备案号，
链接到备案的公开页面。格式：html（默认）、html-legacy（沿用已久的代码片段）、
markdown、text 和 json。

--link 选择备案号链接到哪里：server（备案服务器自己的公开备案页，默认）、
current（全国平台的查询页）或 legacy（许多页脚仍在使用的旧查询页）。

使用 --record 时，可离线生成任意地方备案的标识，备案号按人们的习惯写法即可：
不带空格、不带“号”、用黔/云/蜀、12 位旧号。被纠正之处在标准错误输出中给出警告；
不是备案号时退出码为 5。

--inject 文件... 把标识放进 HTML 文件或模板片段，位于注释 <!-- beian:badge --> 和
<!-- /beian:badge --> 之间；没有这对注释的文件，放在最后一个 </footer> 之前，否则在
</body> 之前，否则在文件末尾。注释之外的内容不变，文件保持原有编码（UTF-8，带或不带
BOM，或 GBK）和换行符，再次运行不做任何改动。使用 --check 时不写入：输出差异，文件缺少
标识或标识已过时则退出码为 11（供 CI 使用）。`,
		Flags: map[string]string{
			"inject":     "把标识放进此 HTML `FILE`（可重复）",
			"check":      "与 --inject 一起：不做改动；文件缺少标识时输出差异并以 11 退出",
			"format":     "标识格式：html、html-legacy、markdown、text、json",
			"icon":       "与 --record 一起：图标 `URL`（默认：以 data: URL 内嵌的图标）",
			"icp":        "在标识旁加上网站的 ICP 备案号",
			"icp-number": "与 --record 一起：旁边显示的 ICP 备案号 `NUMBER`",
			"link":       "备案号链接到哪里：server、current 或 legacy（默认 server；与 --record 一起时为 current）",
			"record":     "离线生成其他地方备案的备案号 `NUMBER` 的标识",
		}},
	"cancel": {Short: "申请注销已备案网站的备案",
		Long: `申请注销已备案网站的备案，需说明原因。申请需经审核；批准之前网站保持已备案，
备案标识仍然有效。没有终端时必须给出 --reason 和 --yes。`,
		Flags: map[string]string{"reason": "注销网站的原因", "yes": flagYesZH}},
	"check": {Short: "检查域名能否备案",
		Long: `检查域名能否备案（常见问题第 5 条）。每个结果是以下之一：
available（可以备案）、yours（本账号已有网站使用）、taken（其他主体已备案）、
claimable（有待认领的历史备案）或 invalid（附原因）。

域名来自参数，或来自 --from FILE（每行一个；空行和以 # 开头的行会跳过；- 表示标准输入）。
大量域名按每批 1,000 个分批并发发送。

退出码：全部可以备案时为 0，有无效域名时为 5，否则有已被占用、属于本账号或待认领的为 6。`,
		Flags: map[string]string{"from": "从 `FILE` 读取域名，每行一个（- 表示标准输入）"}},
	"claim": {Short: "认领历史备案（未备案或待认领）",
		Long: `认领平台推送给您的历史备案：“未备案”（unrecorded）的与您主体的证件号码相符，
可直接认领。“待认领”（to_claim）的只按域名匹配，需证明您控制该域名：第一次运行
“beian claim 域名”会给出一行内容，请发布到 http://域名/.well-known/beian-claim.txt
（--challenge 只输出这一行）；发布后再次运行“beian claim 域名”。原备案号不能作为证明——
它就印在旧网站自己的页脚上。认领后成为预填已知信息的草稿：用“beian edit”补充，
再用“beian submit”提交。批准后签发新的备案号，原备案号保留在历史中。`,
		Flags: map[string]string{
			"challenge":         "输出为证明认领需在域名上发布的内容，不认领",
			"old-record-number": "已忽略：原备案号不能作为证明",
		}},
	"completion": {Short: "为指定的 shell 生成自动补全脚本",
		Long: `为指定的 shell 生成 beian 的自动补全脚本。
具体用法见各子命令的帮助。`},
	"completion bash": {Short: "生成 bash 的自动补全脚本",
		Long: `生成 bash 的自动补全脚本。

此脚本依赖 bash-completion 软件包；如尚未安装，可用系统的包管理器安装。

在当前会话中加载补全：

	source <(beian completion bash)

为以后每个新会话加载补全，执行一次：

#### Linux:

	beian completion bash > /etc/bash_completion.d/beian

#### macOS:

	beian completion bash > $(brew --prefix)/etc/bash_completion.d/beian

需打开新的 shell 才能生效。`,
		Flags: map[string]string{"no-descriptions": flagNoDescZH}},
	"completion fish": {Short: "生成 fish 的自动补全脚本",
		Long: `生成 fish 的自动补全脚本。

在当前会话中加载补全：

	beian completion fish | source

为以后每个新会话加载补全，执行一次：

	beian completion fish > ~/.config/fish/completions/beian.fish

需打开新的 shell 才能生效。`,
		Flags: map[string]string{"no-descriptions": flagNoDescZH}},
	"completion powershell": {Short: "生成 PowerShell 的自动补全脚本",
		Long: `生成 PowerShell 的自动补全脚本。

在当前会话中加载补全：

	beian completion powershell | Out-String | Invoke-Expression

为以后每个新会话加载补全，把上面命令的输出加入 PowerShell 配置文件。`,
		Flags: map[string]string{"no-descriptions": flagNoDescZH}},
	"completion zsh": {Short: "生成 zsh 的自动补全脚本",
		Long: `生成 zsh 的自动补全脚本。

如果您的环境尚未启用 shell 补全，需先启用，执行一次：

	echo "autoload -U compinit; compinit" >> ~/.zshrc

在当前会话中加载补全：

	source <(beian completion zsh)

为以后每个新会话加载补全，执行一次：

#### Linux:

	beian completion zsh > "${fpath[1]}/_beian"

#### macOS:

	beian completion zsh > $(brew --prefix)/share/zsh/site-functions/_beian

需打开新的 shell 才能生效。`,
		Flags: map[string]string{"no-descriptions": flagNoDescZH}},
	"config": {Short: "读取和写入设置",
		Long: `读取和写入 beian 的设置。优先级：命令行选项 > BEIAN_* 环境变量 >
配置文件（--profile 的配置组优先于顶层）> 默认值。
设置项：server、lang、output、no_input、accessible、ca_cert、timeout、total_timeout、connect_timeout、retries、debug。
另见：beian help environment。`},
	"config get":  {Short: "输出一个设置的值"},
	"config list": {Short: "列出所有设置、其值及来源"},
	"config path": {Short: "输出配置文件的路径"},
	"config set": {Short: "把一个设置写入配置文件",
		Long: `把一个设置写入配置文件（使用 --profile 时写入该配置组）。列表类设置项取逗号分隔的值；
值为空则删除该设置项。`},
	"edit": {Short: "修改草稿或被退回的网站，然后提交",
		Long: `修改尚未备案的网站：草稿、被审核人员退回的备案，或您认领的历史备案。
先显示审核人员的退回原因。在终端上会打开预填了已存信息的表单；脚本中可用 --set
修改单个字段（字段名与“beian amend --set”相同），用 --from 从 YAML 读取整个网站。

修改时带上读取时的版本：如果网站在此期间被改动（另一个终端、同事），不会覆盖任何内容，
beian 以退出码 6 结束；重新运行命令即可从当前信息开始。

使用 --submit 时，修改后立即送审（与“beian submit”相同）；--wait 则随后跟踪审核。
已备案的网站请用“beian amend”变更。`,
		Flags: map[string]string{
			"from":    flagFromSite,
			"set":     flagSetZH,
			"submit":  "修改后提交网站审核",
			"timeout": flagTimeoutZH,
			"wait":    "提交后等待审核结果",
		}},
	"environment": {Short: "环境变量和配置文件"},
	"exit-codes":  {Short: "beian 的退出码及其含义"},
	"file": {Short: "办理网站的公安联网备案",
		Long: `办理网站的公安联网备案。

不带选项时，beian 在终端上引导您完成备案：账号尚无开办主体时先填主体，再填网站、
域名（每输入一个即检查是否重复）、接入、服务、人员，最后是核对页。每项回答都按服务器
相同的规则即时检查。

填写时（每次停顿、每填完一页）回答都会保存在 $XDG_STATE_HOME/beian/drafts 下。备案中断时（Ctrl-C、
服务器不可用、被拒绝），beian 会给出继续办理的命令：beian file --resume ID。
继续办理时发送完全相同的请求，网站绝不会被重复备案。

脚本中可用 --from 从 YAML 读取备案，字段名与 API 相同（--template 输出一份以您的语言
注释的模板）。没有终端或使用 --no-input 时，beian 从不提问：此时必须使用 --from。
文件中的附件可写作 id: "file:路径"（相对于该文件），或用 --attach certificate=路径（前置审批用其项目名，
如 --attach news=路径）；beian 会上传。`,
		Flags: map[string]string{
			"attach":   "与 --from 一起：附加文件，`KIND=PATH`（certificate，或前置审批项目如 news）；可重复",
			"draft":    "在服务器上保存为草稿，不提交",
			"dry-run":  "请服务器检查备案，不创建任何内容",
			"from":     "从 YAML `FILE` 读取备案（- 表示标准输入），不再提问",
			"resume":   "继续中断的备案：最近一次，或作为参数给出的 ID",
			"template": "输出以您的语言注释的 YAML 模板后退出",
			"timeout":  flagTimeoutZH,
			"wait":     "提交后等待审核结果",
		}},
	"gen-docs": {Short: "生成 beian 的 man 手册和 Markdown 参考文档",
		Flags: map[string]string{"man": "把 man 手册（第 1 节）写入 `DIR`", "markdown": "把 Markdown 页面写入 `DIR`"}},
	"help": {Short: "任意命令的帮助",
		Long: `为任意命令提供帮助。
输入 beian help [命令路径] 查看完整说明。`},
	"login": {Short: "登录备案服务器",
		Long: `用登录名和密码登录。会话令牌保存在配置文件旁的 credentials.yaml 中，只有您可读
（权限 0600）；设置了 BEIAN_TOKEN 时改用它。

没有终端时，密码必须通过 --password-stdin 提供。`,
		Flags: map[string]string{"login": "您的登录名 `NAME`", "password-stdin": "从标准输入的第一行读取密码"}},
	"logout": {Short: "退出登录并删除保存的令牌",
		Long: `退出登录：在服务器上结束本次会话并删除其令牌。使用 --all 时，在所有设备上结束该账号的
全部会话（笔记本丢失或令牌泄露之后）；重置密码也会这样做。`,
		Flags: map[string]string{"all": "在所有设备上结束该账号的全部会话"}},
	"notifications": {Short: "列出系统通知（审核通过、退回）",
		Long:  `列出账号的系统通知：审核通过、附审核人员原因的退回、变更的审核结果。退回也会以短信通知。`,
		Flags: map[string]string{"unread": "只列出未读通知"}},
	"notifications list": {Short: "列出通知", Flags: map[string]string{"unread": "只列出未读通知"}},
	"notifications read": {Short: "把通知标为已读", Flags: map[string]string{"all": "把所有未读通知标为已读"}},
	"password":           {Short: "找回忘记的密码"},
	"password reset": {Short: "用短信验证码设置新密码",
		Long: `为用某个手机号注册的账号设置新密码。不带 --sms-code 时，beian 请服务器向该号码发送
验证码，在终端上询问验证码和新密码（输入两次）。脚本中先不带 --sms-code 运行一次以发送
验证码，再带 --sms-code 和 --password-stdin 运行。账号的全部会话都会结束；请用
“beian login”重新登录。

如果号码已不归您使用，或忘记了登录名，服务器的客服地址（失败时会显示）可以提供帮助。`,
		Flags: map[string]string{
			"mobile":         "账号的手机号 `NUMBER`",
			"password-stdin": "从标准输入的第一行读取新密码",
			"sms-code":       "发送到手机的验证码 `CODE`（省略则发送一个）",
		}},
	"register": {Short: "在备案服务器上注册账号",
		Long: `注册开办者账号：登录名、手机号（用发送给它的验证码验证）、电子邮箱和密码。
一个账号为一个开办主体备案；另一个主体需要另一个账号。

不带 --sms-code 时，先向手机发送验证码再询问；脚本中先不带 --sms-code 运行一次以发送
验证码，再带上它运行。沙箱中的短信保存在发件箱：beian sandbox outbox。`,
		Flags: map[string]string{
			"email":          "电子邮箱 `ADDRESS`",
			"login":          "要注册的登录名 `NAME`",
			"mobile":         "接收验证码的手机号 `NUMBER`",
			"password-stdin": "从标准输入的第一行读取密码",
			"sms-code":       "发送到手机的验证码 `CODE`",
		}},
	"review": {Short: "审核备案：待审队列、查看、通过、退回",
		Long: `供审核人员和管理员使用：您辖区内（按主体的办公地址）待审的备案、作出决定所需的全部信息，
以及审核决定。通过的网站获得备案号；退回的附上您的原因（必填）交还开办者。
开办者不能使用这些命令（退出码 4）。`},
	"review approve": {Short: "通过主体、网站、变更或注销申请",
		Long: `通过您待审队列中的一项。网站获得备案号；变更的新值生效；注销申请使备案注销。`},
	"review queue": {Short: "列出等待您审核的事项，最早的在前",
		Flags: map[string]string{"kind": "只列一类：subject、site、change、cancel", "limit": "最多显示 `N` 项（0：全部）"}},
	"review return": {Short: "退回主体、网站或变更，并说明原因",
		Long:  `退回您待审队列中的一项，附上开办者将看到的原因（通过通知和短信）。退回的变更保留已备案的信息。`,
		Flags: map[string]string{"reason": "退回原因，开办者将看到（必填）"}},
	"review show": {Short: "显示决定一项所需的全部信息",
		Long: `显示待审队列中的一项：主体、网站及其域名和附件、申请的改动（原值 → 新值）和历史。
使用 --download DIR 时，网站的附件（审批文件、前置审批）保存到 DIR，以便打开核对。`,
		Flags: map[string]string{"download": "把网站的附件保存到 `DIR`"}},
	"sandbox": {Short: "本地沙箱：服务、审核、发件箱、重置",
		Long: `未配置服务器时，beian 在本地沙箱中备案：即在 beian 内部运行、使用
` + "`$XDG_DATA_HOME/beian/sandbox.db`" + ` 的真实备案服务器，为您建好账号并自动审核（return.test 下的网站
附原因退回，其余全部通过）。在沙箱中备案的内容不会提交给任何机关。`},
	"sandbox outbox": {Short: "列出沙箱发送的短信和邮件"},
	"sandbox reset":  {Short: "删除沙箱：数据库、账号和附件", Flags: map[string]string{"yes": flagYesZH}},
	"sandbox review": {Short: "立即运行自动审核"},
	"sandbox serve": {Short: "在一个地址上提供沙箱服务，供其他工具使用",
		Long: `在 --addr 上提供沙箱的备案 API，直到被中断。URL 输出到标准输出（与 --addr 127.0.0.1:0
一起使用很方便）。用 --server URL 让另一个 beian 连接它；自动审核每隔 --review-every 运行一次。
--fault-percent 让该比例的 /v1 请求返回 503，用来验证客户端的重试。`,
		Flags: map[string]string{
			"addr":          "监听 `HOST:PORT`",
			"fault-percent": "让 `PERCENT` 比例的 /v1 请求返回 503",
			"review-every":  "自动审核的间隔（0：只在 POST /v1/sandbox/review 时运行）",
		}},
	"plan": {Short: "显示执行备案清单会改变什么",
		Long: `读取备案清单（您希望的备案：YAML 文件、CSV 或 Excel 表格，见 docs/fleets.zh.md）和服务器上
的备案，逐个网站列出 "beian apply" 将做的事：新建并提交、修改草稿或被退回的网站后重新提交、
变更已备案的网站（每个修改的字段标明关键字段——提交变更审核，或非关键字段——立即生效），
或无变化。所有无效的网站和属于别处的域名一次列出，且在发送任何内容之前。账号中清单未提及
的网站会列出并保留，除非使用 --prune。

退出码：0 无变化，7 有变化，5 有网站无效，6 有域名冲突。-o json 以稳定格式输出计划。`,
		Flags: map[string]string{
			"file":  "备案清单：YAML 文件、.csv 或 .xlsx 表格，或包含它们的目录（可重复）",
			"prune": "注销账号中清单未提及的备案",
		}},
	"apply": {Short: "按备案清单新建、修改和变更一批网站的备案",
		Long: `像 "beian plan" 一样生成计划，显示并询问后执行：每个主体的账号先提交主体，再提交其网站，
每次并发若干个（--parallel）。某个网站失败会报告，其余照常进行；最后输出汇总表。对未改动的
清单再次执行 apply 不做任何事。

每个请求都带 Idempotency-Key，并在发送前记入日志：被中断（崩溃、被杀、断网）的 apply 用
"beian apply -f 清单 --resume" 继续，不会重复提交。在此之前，同一清单的普通 apply 会被拒绝。

计划中有无效网站或冲突域名时整个计划都不执行（退出码 5 或 6）。--prune 注销清单未提及的备案，
在终端上即使有 --yes 也会再确认一次。`,
		Flags: map[string]string{
			"file":         "备案清单：YAML 文件、.csv 或 .xlsx 表格，或包含它们的目录（可重复）",
			"prune":        "注销账号中清单未提及的备案",
			"yes":          "不询问确认",
			"resume":       "用相同的请求密钥继续被中断的 apply",
			"parallel":     "每个账号同时进行的请求数",
			"wait":         "然后等待所提交网站的审核结果",
			"wait-timeout": "--wait 最长等待时间",
		}},
	"webhooks": {Short: "把备案事件推送到您的网址",
		Long: `为账号订阅事件推送：网站的每次状态变化（site.under_review、site.recorded、site.returned 等）、
主体的状态变化（subject.approved 等）以及每条系统通知。服务器在状态变化的同一事务中记录事件，
按顺序以签名的 POST 推送（Beian-Signature 头：t=<unix>,v1=<以 webhook 密钥对 "<t>.<body>"
计算的 HMAC-SHA256>），接收端不可用时按退避重试。docs/compliance.zh.md 说明如何校验签名。`},
	"webhooks add": {Short: "订阅一个网址；只显示一次签名密钥",
		Long: `订阅一个网址（http 或 https）接收 --events 中的事件（逗号分隔；默认全部）。签名密钥只在
标准输出中显示一次：请保存在接收端可读取的地方。`,
		Flags: map[string]string{"events": "要推送的事件类型（逗号分隔；默认全部）"}},
	"webhooks list":       {Short: "列出账号的 webhook"},
	"webhooks remove":     {Short: "删除 webhook 及尚未推送的内容"},
	"webhooks test":       {Short: "向 webhook 发送一个测试事件"},
	"webhooks deliveries": {Short: "显示 webhook 的推送记录，最新的在前", Flags: map[string]string{"limit": "最多显示 `N` 条"}},
	"verify": {Short: "检查网站首页是否展示了备案标识",
		Long: `读取每个网站的首页，检查常见问题第 2、3、6 条的要求：公安备案号（beian 接受的任何写法）、
它是本站的备案（公开备案信息列有本站域名，或与 --record 一致）、它链接到该备案号的公开查询
页面、旁边有备案图标、位于页面底部（页脚或正文的最后部分）。如有工信部 ICP 备案号及其链接，
一并报告。

域名先用 HTTPS 访问，无法连接时再用 HTTP。重定向最多跟随 --max-redirects 次（循环会被
指出），最多读取 --max-bytes 字节，每次读取在 --timeout 后结束，代理取自 HTTPS_PROXY 和
HTTP_PROXY，--ca-cert 在系统根证书之外增加信任。

每个网站一行，或 -o json。退出码：0 全部合格，11 有标识缺失或不完整，12 有备案号错误，
13 有首页无法读取（取最严重的：12，其次 11，再次 13）。`,
		Flags: map[string]string{
			"from":          "从 `FILE` 读取网址或域名，每行一个（- 为标准输入）",
			"file":          "检查备案清单中的网站（docs/fleets.zh.md）",
			"record":        "每个网站都应展示的备案号",
			"ca-cert":       "额外信任此 PEM `FILE`（可重复）",
			"timeout":       "读取一个首页的最长时间",
			"max-redirects": "最多跟随的重定向次数",
			"max-bytes":     "首页最多读取的字节数",
			"parallel":      "同时读取的首页数",
			"no-lookup":     "不在公开备案信息中查询备案号",
		}},
	"sites": {Short: "按状态列出您的网站",
		Long: `按平台展示的列表（常见问题第 10 条）列出账号的网站：under_review（含审核中的变更和注销）、
recorded（已备案）、drafts（草稿，含被退回的）、unrecorded 和 to_claim（平台推送的历史备案）、
cancelled（已注销）。

--output csv（或 xlsx，配合 --file）把账号的备案导出为清单表格，每行一个网站，列与
"beian plan"、"beian apply" 读取的相同（docs/fleets.zh.md）：导出、编辑、再执行。
已注销的备案和待认领的历史备案不导出。`,
		Flags: map[string]string{
			"file":   "配合 --output csv 或 xlsx：把表格写入 `PATH`",
			"domain": "只列出含此 `DOMAIN` 的网站",
			"list":   "只显示一个列表：under_review、recorded、drafts、unrecorded、to_claim、cancelled",
		}},
	"status": {Short: "显示网站备案的进度",
		Long: `显示网站备案的进度：状态、备案号、域名，被退回时还有审核人员的原因。用网站 ID 或其任一
域名指定网站。

使用 --wait 时轮询（逐步拉长间隔）直到审核作出决定：已备案、被退回或已注销。使用
--exit-status 时退出码表示状态：0 已备案，8 审核中，9 需要处理（草稿、被退回、未备案、
待认领），10 已注销。

使用 --watch 时同时跟踪任意多个网站，每当状态变化就输出一行（-o json：每行一个 JSON 对象），
直到被中断或达到 --timeout。`,
		Flags: map[string]string{
			"exit-status": "退出码 0 已备案，8 审核中，9 需要处理，10 已注销",
			"timeout":     flagTimeoutZH,
			"wait":        "等待审核作出决定（已备案、被退回或已注销）",
			"watch":       "跟踪这些网站，状态一有变化就输出",
			"interval":    "与 --watch 一起：轮询间隔（默认 5s）",
		}},
	"subject": {Short: "查看或修改您的开办主体",
		Long: `开办主体是运营网站的一方：单位（公司、政府机关、事业单位……）或个人。一个账号恰有一个
主体；主体需经审核，主体通过之前任何网站都不会获批。`},
	"subject edit": {Short: "创建或修改开办主体",
		Long: `从 --from FILE（字段名与 API 相同的 YAML，置于“subject:”下；- 表示标准输入）或在终端上
交互式创建或修改开办主体。新的或被退回的主体会保存并送审（--no-submit 仅保存为草稿）。
已通过的主体则作变更：非关键字段（地址详情、电话、邮箱、备注）立即生效；关键字段重新审核。
同时包含两类改动的变更作为一个申请送审，除非用 --apply-non-key-now 让非关键部分立即生效。`,
		Flags: map[string]string{
			"apply-non-key-now": "已通过的主体：混合变更中的非关键部分立即生效",
			"from":              "从 YAML `FILE` 读取主体（- 表示标准输入）",
			"no-submit":         "只保存，不送审",
		}},
	"subject show": {Short: "显示开办主体及其审核状态"},
	"submit": {Short: "提交草稿或被退回的网站审核",
		Long: `按已保存的内容提交草稿或被退回的网站审核（需修改请先用“beian edit”）。仍为草稿的开办主体
会一并提交。使用 --wait 时，beian 跟踪审核，退出码与“beian status --exit-status”相同：
0 已备案，9 被退回，8 仍在审核中。`,
		Flags: map[string]string{"timeout": flagTimeoutZH, "wait": "等待审核作出决定", "accept-responsibility": "为该网站接受安全责任告知书（草稿尚未接受时）"}},
	"version": {Short: "输出 beian 的版本"},
	"whoami": {Short: "显示已登录的账号",
		Long: `显示已登录的账号及其所属服务器。未登录时退出码为 4。`},
}
