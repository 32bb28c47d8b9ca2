package root

import (
	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmd/account"
	"github.com/beian-dev/beian/internal/cli/cmd/amend"
	"github.com/beian-dev/beian/internal/cli/cmd/badge"
	"github.com/beian-dev/beian/internal/cli/cmd/cancel"
	"github.com/beian-dev/beian/internal/cli/cmd/check"
	"github.com/beian-dev/beian/internal/cli/cmd/claim"
	"github.com/beian-dev/beian/internal/cli/cmd/configcmd"
	"github.com/beian-dev/beian/internal/cli/cmd/edit"
	"github.com/beian-dev/beian/internal/cli/cmd/file"
	"github.com/beian-dev/beian/internal/cli/cmd/fleetcmd"
	"github.com/beian-dev/beian/internal/cli/cmd/login"
	"github.com/beian-dev/beian/internal/cli/cmd/logout"
	"github.com/beian-dev/beian/internal/cli/cmd/notifications"
	"github.com/beian-dev/beian/internal/cli/cmd/register"
	"github.com/beian-dev/beian/internal/cli/cmd/review"
	"github.com/beian-dev/beian/internal/cli/cmd/sandboxcmd"
	"github.com/beian-dev/beian/internal/cli/cmd/sites"
	"github.com/beian-dev/beian/internal/cli/cmd/status"
	"github.com/beian-dev/beian/internal/cli/cmd/subject"
	"github.com/beian-dev/beian/internal/cli/cmd/submit"
	"github.com/beian-dev/beian/internal/cli/cmd/verify"
	"github.com/beian-dev/beian/internal/cli/cmd/webhooks"
	"github.com/beian-dev/beian/internal/cli/cmd/whoami"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
)

func init() {
	commands = []func(*cmdutil.Factory) *cobra.Command{
		func(f *cmdutil.Factory) *cobra.Command { return register.NewCmdRegister(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return login.NewCmdLogin(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return logout.NewCmdLogout(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return whoami.NewCmdWhoami(f, nil) },
		account.NewCmdPassword,
		account.NewCmdAccount,
		subject.NewCmdSubject,
		func(f *cmdutil.Factory) *cobra.Command { return file.NewCmdFile(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return edit.NewCmdEdit(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return submit.NewCmdSubmit(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return amend.NewCmdAmend(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return check.NewCmdCheck(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return status.NewCmdStatus(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return sites.NewCmdSites(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return fleetcmd.NewCmdPlan(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return fleetcmd.NewCmdApply(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return badge.NewCmdBadge(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return verify.NewCmdVerify(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return cancel.NewCmdCancel(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return claim.NewCmdClaim(f, nil) },
		func(f *cmdutil.Factory) *cobra.Command { return notifications.NewCmdNotifications(f, nil) },
		webhooks.NewCmdWebhooks,
		review.NewCmdReview,
		configcmd.NewCmdConfig,
		sandboxcmd.NewCmdSandbox,
	}
}
