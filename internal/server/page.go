package server

import (
	"bytes"
	"html/template"
	"io"
	"mime"
	"net/http"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
)

// recordPage is the public record page (SPEC §4): what api.PublicRecord
// holds and nothing more, so nothing private can reach it.
var recordPage = template.Must(template.New("record").Funcs(template.FuncMap{
	"kind": func(k filing.SubjectKind) string {
		if k == filing.KindIndividual {
			return "个人 / individual"
		}
		return "单位 / unit"
	},
	"yesno": func(b bool) string {
		if b {
			return "是 / yes"
		}
		return "否 / no"
	},
	"date": func(r api.PublicRecord) string { return r.RecordedAt.In(filing.ChinaTime).Format(filing.DateLayout) },
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.RecordNumber}} · 公安联网备案信息</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem;display:flex;align-items:center;gap:.5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e4e4e4;vertical-align:top}
th{width:12rem;color:#555;font-weight:normal}
.state{color:#a33}
</style>
</head>
<body>
<h1><img src="{{.Icon}}" width="20" height="20" alt="">{{.RecordNumber}}</h1>
{{with .Record}}
<table>
<tr><th>网站名称 / Site name</th><td>{{.SiteName}}</td></tr>
{{if .PrimaryDomain}}<tr><th>网站主域名 / Main domain</th><td>{{.PrimaryDomain}}</td></tr>{{end}}
{{if .Domains}}<tr><th>网站域名 / Domains</th><td>{{range $i, $d := .Domains}}{{if $i}}<br>{{end}}{{$d.Unicode}}{{if ne $d.Unicode $d.ASCII}} ({{$d.ASCII}}){{end}}{{end}}</td></tr>{{end}}
{{if .HomepageURL}}<tr><th>网站首页 / Homepage</th><td>{{.HomepageURL}}</td></tr>{{end}}
<tr><th>开办主体 / Subject</th><td>{{.SubjectName}}</td></tr>
<tr><th>主体性质 / Kind</th><td>{{kind .SubjectKind}}</td></tr>
<tr><th>交互式服务 / Interactive</th><td>{{yesno .Interactive}}</td></tr>
<tr><th>备案日期 / Recorded on</th><td>{{date .}}</td></tr>
<tr><th>备案机关 / Reviewing office</th><td>{{.ReviewingOffice}}</td></tr>
{{if ne .State "recorded"}}<tr><th>状态 / State</th><td class="state">{{.State}}</td></tr>{{end}}
</table>
{{end}}
</body>
</html>
`))

// publicRecordPage renders GET /records/{number} as HTML.
func (s *server) publicRecordPage(w http.ResponseWriter, r *http.Request, c *call) error {
	rec, err := s.desk.PublicRecord(r.Context(), r.PathValue("number"))
	if p := platform.AsProblem(err); err != nil && p.Code == api.CodeNotFound {
		// A browser followed a badge: answer in its language, not JSON.
		return writeHTML(w, http.StatusNotFound, notFoundPage, r.PathValue("number"))
	}
	if err != nil {
		return err
	}
	return writeHTML(w, http.StatusOK, recordPage, struct {
		RecordNumber string
		Icon         string
		Record       api.PublicRecord
	}{rec.RecordNumber, badge.IconPath, rec})
}

var notFoundPage = template.Must(template.New("404").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>未找到备案信息 / No such record</title></head>
<body>
<h1>未找到备案信息 / No such record</h1>
<p>没有备案号为「{{.}}」的已备案网站。There is no recorded site with the number “{{.}}”.</p>
</body>
</html>
`))

func writeHTML(w http.ResponseWriter, status int, t *template.Template, data any) error {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
	return nil
}

func mimeDisposition(r *http.Request) (string, map[string]string, error) {
	return mime.ParseMediaType(r.Header.Get("Content-Disposition"))
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
