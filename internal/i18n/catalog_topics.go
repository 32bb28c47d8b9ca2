package i18n

// The help topics `beian help exit-codes` and `beian help environment`.
func init() {
	add(map[string]Message{
		"topic.exit_codes": {`beian exits with one of these codes, so scripts can branch without parsing text:

   0  success
   1  error: the server is unreachable, a file cannot be read, a bug
   2  cancelled: interrupted with Ctrl-C or declined at a prompt
   3  usage: a bad flag or argument, or a missing value with no terminal
      to ask for it (the message names the flag to use)
   4  authentication needed or refused: not signed in, wrong password,
      expired session, not allowed
   5  input rejected: the filing, a domain or a record number is invalid
      (every bad field is listed on stderr)
   6  conflict: the domain is taken by another subject or already yours,
      someone changed the filing meanwhile, the state does not allow it
   7  changes (plan): applying the fleet would change something
   8  pending (status --exit-status): under review
   9  action needed (status --exit-status): draft, returned, unrecorded,
      to claim
  10  cancelled (status --exit-status): the filing is cancelled
  11  verify: a badge is missing or incomplete
  12  verify: a number is not the site's record, or links to another
  13  verify: a homepage could not be read (down, timed out, too large)

beian check exits 0 when every domain is available, 6 when any is taken
or yours, and 5 when any is invalid. beian plan exits 0 when the fleet
changes nothing, 7 when it would, 5 or 6 when a site is invalid or a
domain conflicts.
`, `beian 以下列退出码结束，脚本无需解析文字即可判断结果：

   0  成功
   1  错误：无法连接服务器、无法读取文件、程序缺陷等
   2  已取消：按了 Ctrl-C，或在提示时选择了取消
   3  用法错误：参数或选项有误，或缺少某个值而又没有终端可以询问
      （错误信息会指出应使用的选项）
   4  需要认证或认证被拒绝：未登录、密码错误、登录过期、无权操作
   5  输入被拒绝：备案信息、域名或备案号不符合要求
      （所有有问题的字段都会列在标准错误输出中）
   6  冲突：域名已被其他主体备案或您已申请过、备案已被他人修改、
      当前状态不允许该操作
   7  有变更（plan）：执行该清单会改变服务器上的备案
   8  审核中（status --exit-status）
   9  需要处理（status --exit-status）：草稿、被退回、未备案、待认领
  10  已注销（status --exit-status）
  11  verify：有网站的备案标识缺失或不完整
  12  verify：有网站的备案号不是本站的备案，或链接到其他备案
  13  verify：有网站首页无法读取（无法访问、超时、过大）

beian check 在所有域名均可备案时返回 0，任一域名已被备案或您已申请过时返回 6，
任一域名无效时返回 5。beian plan 在清单无变化时返回 0，有变化时返回 7，
有网站无效或域名冲突时返回 5 或 6。
`},
		"topic.environment": {`Settings are resolved in this order, highest first:
  command-line flags > BEIAN_* environment variables > config file > defaults

Config file: $BEIAN_CONFIG_DIR/config.yaml, else $XDG_CONFIG_HOME/beian/config.yaml,
else ~/.config/beian/config.yaml (%AppData%\beian\config.yaml on Windows).
--config FILE or BEIAN_CONFIG names another file, which must exist.
Named profiles live under "profiles:" and are chosen with --profile or
BEIAN_PROFILE; a profile's values override the file's top level:

  server: https://beian.example.com
  profiles:
    staging:
      server: https://staging.beian.example.com

Tokens are kept apart in credentials.yaml beside config.yaml, mode 0600.

  BEIAN_SERVER           filing server URL; unset means the local sandbox
  BEIAN_TOKEN            bearer token; overrides the stored credentials
  BEIAN_PROFILE          profile of the config file
  BEIAN_CONFIG           config file to read (must exist)
  BEIAN_CONFIG_DIR       directory of config.yaml and credentials.yaml
  BEIAN_LANG             zh or en; else LC_ALL, LC_MESSAGES, LANG decide
  BEIAN_OUTPUT           table, json or yaml
  BEIAN_NO_INPUT         never prompt (a missing value is an error naming its flag)
  BEIAN_ACCESSIBLE       plain line prompts; TERM=dumb does the same
  BEIAN_CA_CERT          comma-separated PEM files of private CAs
  BEIAN_TIMEOUT          longest time of one request (default 30s)
  BEIAN_TOTAL_TIMEOUT    longest time of one request with its retries (default 60s)
  BEIAN_CONNECT_TIMEOUT  longest time to connect (default 10s)
  BEIAN_RETRIES          retries of safe requests (default 4)
  BEIAN_DEBUG            trace HTTP on stderr, secrets redacted
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies, as usual
  NO_COLOR               no colour in any output
  XDG_DATA_HOME          the sandbox database is $XDG_DATA_HOME/beian/sandbox.db
                         (default ~/.local/share/beian/sandbox.db)
  XDG_STATE_HOME         journals of unfinished filings: $XDG_STATE_HOME/beian/drafts/
`, `设置按以下顺序生效，靠前的优先：
  命令行选项 > BEIAN_* 环境变量 > 配置文件 > 默认值

配置文件：$BEIAN_CONFIG_DIR/config.yaml，否则 $XDG_CONFIG_HOME/beian/config.yaml，
否则 ~/.config/beian/config.yaml（Windows 上为 %AppData%\beian\config.yaml）。
--config FILE 或 BEIAN_CONFIG 可指定其他文件，该文件必须存在。
命名配置组写在 "profiles:" 下，用 --profile 或 BEIAN_PROFILE 选择；
配置组中的值优先于文件顶层的值：

  server: https://beian.example.com
  profiles:
    staging:
      server: https://staging.beian.example.com

登录令牌单独保存在 config.yaml 旁的 credentials.yaml 中，权限为 0600。

  BEIAN_SERVER           备案服务器地址；未设置时使用本地沙箱
  BEIAN_TOKEN            访问令牌；优先于已保存的登录凭据
  BEIAN_PROFILE          配置文件中的配置组
  BEIAN_CONFIG           要读取的配置文件（必须存在）
  BEIAN_CONFIG_DIR       config.yaml 与 credentials.yaml 所在目录
  BEIAN_LANG             zh 或 en；未设置时依次参考 LC_ALL、LC_MESSAGES、LANG
  BEIAN_OUTPUT           table、json 或 yaml
  BEIAN_NO_INPUT         从不交互询问（缺少的值会报错并指出应使用的选项）
  BEIAN_ACCESSIBLE       逐行纯文本提示；TERM=dumb 效果相同
  BEIAN_CA_CERT          私有证书颁发机构的 PEM 文件，以逗号分隔
  BEIAN_TIMEOUT          单个请求的最长时间（默认 30s）
  BEIAN_TOTAL_TIMEOUT    一个请求连同重试的最长时间（默认 60s）
  BEIAN_CONNECT_TIMEOUT  建立连接的最长时间（默认 10s）
  BEIAN_RETRIES          安全请求的重试次数（默认 4）
  BEIAN_DEBUG            在标准错误输出中跟踪 HTTP 请求（隐去密钥与密码）
  HTTPS_PROXY、HTTP_PROXY、NO_PROXY   代理设置
  NO_COLOR               所有输出均不使用颜色
  XDG_DATA_HOME          沙箱数据库位于 $XDG_DATA_HOME/beian/sandbox.db
                         （默认 ~/.local/share/beian/sandbox.db）
  XDG_STATE_HOME         未完成备案的记录：$XDG_STATE_HOME/beian/drafts/
`},
	})
}
