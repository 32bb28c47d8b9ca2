package api

// The Filing API v1, one line per operation: method, path, body → answer.
// internal/server/routes.go serves exactly these; internal/client calls them;
// docs/openapi.yaml describes them. "auth" is a bearer token; "sponsor" means
// the owner of the subject or site; reviewers are scoped to an area prefix.
//
//	POST   /v1/sms-codes                         SMSCodeRequest → 202                 anonymous
//	POST   /v1/accounts                          RegisterRequest → 201 Account        anonymous (Idempotency-Key)
//	POST   /v1/sessions                          LoginRequest → 201 Session           anonymous, rate-limited
//	DELETE /v1/sessions/current                  → 204                                auth
//	DELETE /v1/sessions                          → 204 (every session of the account) auth
//	POST   /v1/password-resets                   PasswordResetRequest → 204           anonymous
//	GET    /v1/account                           → Account                            auth
//	POST   /v1/account/email-code                → 202 (code sent to the email)       auth
//	POST   /v1/account/email-verification        EmailVerifyRequest → 204             auth
//	GET    /v1/subject                           → SubjectRecord (ETag)               sponsor
//	PUT    /v1/subject                           SubjectWrite → SubjectRecord         sponsor (If-Match once it exists)
//	POST   /v1/subject/submit                    → SubjectRecord                      sponsor (Idempotency-Key)
//	POST   /v1/subject/amendments                SubjectWrite → SubjectRecord         sponsor, approved subject: non-key only at once, key → reviewed again
//	GET    /v1/sites?state=&domain=&limit=&cursor=  → SiteList                        sponsor (own sites)
//	POST   /v1/sites[?dry_run=true]              SiteWrite → 201 SiteRecord (draft)   sponsor (Idempotency-Key)
//	GET    /v1/sites/{id}                        → SiteRecord (ETag)                  sponsor, reviewer of the area, admin
//	PUT    /v1/sites/{id}                        SiteWrite → SiteRecord               sponsor, draft/returned (If-Match)
//	DELETE /v1/sites/{id}                        → 204                                sponsor, draft/returned only
//	POST   /v1/sites/{id}/submit                 → SiteRecord                         sponsor (Idempotency-Key)
//	POST   /v1/sites/{id}/amendments             AmendRequest → AmendResult           sponsor, recorded (If-Match, Idempotency-Key)
//	POST   /v1/sites/{id}/cancel                 CancelRequest → SiteRecord           sponsor, recorded (Idempotency-Key)
//	POST   /v1/sites/{id}/claim                  ClaimRequest → SiteRecord (draft)    sponsor with a subject (Idempotency-Key)
//	POST   /v1/claim-challenges                  ClaimChallengeRequest → ClaimChallenge sponsor (docs/claims.md)
//	POST   /v1/claims                            ClaimRequest{domain} → SiteRecord (draft) sponsor with a subject (Idempotency-Key)
//	GET    /v1/sites/{id}/badge?format=&link=&icp=  → Badge                           sponsor, recorded
//	GET    /v1/sites/{id}/history                → AuditList                          sponsor, reviewer of the area, admin
//	GET    /v1/domain-checks/{domain}            → DomainCheck                        auth
//	POST   /v1/domain-checks                     DomainCheckRequest → DomainCheckResponse  auth (≤ 1000 domains)
//	POST   /v1/attachments                       raw PDF/PNG/JPEG body → 201 Attachment    auth (≤ 10 MiB, type by content)
//	GET    /v1/notifications?unread=&limit=&cursor=  → NotificationList               auth
//	POST   /v1/notifications/{id}/read           → 204                                auth (own)
//	POST   /v1/webhooks                          WebhookCreate → 201 Webhook (secret) sponsor
//	GET    /v1/webhooks                          → WebhookList                        sponsor
//	DELETE /v1/webhooks/{id}                     → 204                                sponsor (own)
//	POST   /v1/webhooks/{id}/test                → 202 WebhookDelivery                sponsor (own)
//	GET    /v1/webhooks/{id}/deliveries?limit=&cursor= → WebhookDeliveryList          sponsor (own)
//	GET    /v1/records/{number}                  → PublicRecord                       anonymous
//	GET    /records/{number}                     → HTML page                          anonymous
//	GET    /static/beian-icon.png                → the badge icon                     anonymous
//	GET    /v1/review/queue?kind=&limit=&cursor= → ReviewQueue                        reviewer (area-scoped), admin
//	POST   /v1/review/subjects/{account_id}/approve  → SubjectRecord                  reviewer of the area, admin
//	POST   /v1/review/subjects/{account_id}/return   ReturnRequest → SubjectRecord    reviewer of the area, admin
//	POST   /v1/review/sites/{id}/approve         → SiteRecord                         reviewer of the area, admin (site, change or cancel under review)
//	POST   /v1/review/sites/{id}/return          ReturnRequest → SiteRecord           reviewer of the area, admin
//	GET    /v1/review/sites/{id}/attachments/{attachment_id} → the file's bytes        reviewer of the area, admin
//	POST   /v1/admin/users                       UserCreateRequest → 201 Account      admin
//	POST   /v1/admin/imports                     text/csv → ImportResult              admin
//	GET    /v1/admin/audit?entity_id=&limit=&cursor= → AuditList                      admin
//	GET    /v1/sandbox/outbox                    → OutboxList                         sandbox mode only
//	POST   /v1/sandbox/review                    → 204 (run the automatic review now) sandbox mode only
//	GET    /v1/meta                              → Meta (support address, sandbox or not)  anonymous
//	GET    /v1/openapi.yaml                      → the OpenAPI 3.1 document           anonymous
//	GET    /healthz, /readyz, /metrics           operations                           anonymous
const Version = "v1"
