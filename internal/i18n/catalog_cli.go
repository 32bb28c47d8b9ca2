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
