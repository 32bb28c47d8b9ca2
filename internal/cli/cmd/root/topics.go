package root

import "github.com/beian-dev/beian/internal/i18n"

func englishTopic(id string) string { return i18n.New(i18n.EN).T(id) }
