{{/* Names, labels and the environment of each workload (deploy.md §3). */}}

{{- define "eshop.fullname" -}}
{{- printf "%s" .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "eshop.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: eshop
app.kubernetes.io/version: {{ .root.Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "eshop.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "eshop.image" -}}
{{- printf "%s/eshop-%s:%s" .root.Values.image.registry .name (toString .root.Values.image.tag) -}}
{{- end -}}

{{/* The Secret a workload reads: created by this chart (secrets.create) or named in secrets.existing. */}}
{{- define "eshop.secretName" -}}
{{- if .root.Values.secrets.create -}}
{{- printf "%s-%s" .root.Release.Name .name -}}
{{- else -}}
{{- required (printf "secrets.existing.%s is required when secrets.create is false" .name) (index .root.Values.secrets.existing .name) -}}
{{- end -}}
{{- end -}}

{{- define "eshop.url" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s:%v" .name $svc.port -}}
{{- end -}}

{{/* Non-secret settings of a service: the contracts' variables with production values (deploy.md §3). */}}
{{- define "eshop.serviceEnv" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $name := .name -}}
{{- $svc := index $v.services $name -}}
{{- $env := dict
  "HTTP_PORT" (toString $svc.port)
  "LOG_LEVEL" "info"
  "CORS_ALLOWED_ORIGINS" (printf "https://shop.%s,https://admin.%s" $v.domain $v.domain)
-}}
{{- /* Unset values stay unset: the binary then stops at start naming the missing variable (design §6). */ -}}
{{- with $v.cognito.issuer }}{{ $_ := set $env "COGNITO_ISSUER" . }}{{ end -}}
{{- with $v.cognito.jwksUrl }}{{ $_ := set $env "COGNITO_JWKS_URL" . }}{{ end -}}
{{- with $v.cognito.clientIds }}{{ $_ := set $env "COGNITO_CLIENT_IDS" . }}{{ end -}}
{{- if $svc.awsRole }}{{ $_ := set $env "AWS_REGION" $v.aws.region }}{{ end -}}
{{- if eq $name "product" -}}
{{- $_ := set $env "PRODUCT_TABLE" $v.stores.productTable -}}
{{- $_ := set $env "CATEGORY_TABLE" $v.stores.categoryTable -}}
{{- $_ := set $env "PRODUCT_OUTBOX_TABLE" $v.stores.productOutboxTable -}}
{{- $_ := set $env "AWS_PRODUCT_BUCKET" $v.stores.productBucket -}}
{{- with $v.stores.productImageBaseUrl }}{{ $_ := set $env "PRODUCT_IMAGE_BASE_URL" . }}{{ end -}}
{{- $_ := set $env "CART_SERVICE" (include "eshop.url" (dict "root" $root "name" "cart")) -}}
{{- $_ := set $env "WAREHOUSE_SERVICE" (include "eshop.url" (dict "root" $root "name" "warehouse")) -}}
{{- else if eq $name "cart" -}}
{{- $_ := set $env "PRODUCT_SERVICE" (include "eshop.url" (dict "root" $root "name" "product")) -}}
{{- $_ := set $env "ORDER_SERVICE" (include "eshop.url" (dict "root" $root "name" "order")) -}}
{{- else if eq $name "auth" -}}
{{- with $v.cognito.userPoolId }}{{ $_ := set $env "COGNITO_USER_POOL_ID" . }}{{ end -}}
{{- with $v.cognito.clientIds }}{{ $_ := set $env "COGNITO_CLIENT_ID" (first (splitList "," .)) }}{{ end -}}
{{- else if eq $name "order" -}}
{{- $_ := set $env "PRODUCT_SERVICE" (include "eshop.url" (dict "root" $root "name" "product")) -}}
{{- $_ := set $env "WAREHOUSE_SERVICE" (include "eshop.url" (dict "root" $root "name" "warehouse")) -}}
{{- $_ := set $env "SALES_REPORT_SERVICE" (include "eshop.url" (dict "root" $root "name" "sales-report")) -}}
{{- else if eq $name "warehouse" -}}
{{- $_ := set $env "PRODUCT_SERVICE" (include "eshop.url" (dict "root" $root "name" "product")) -}}
{{- else if eq $name "payment" -}}
{{- $_ := set $env "S3_BUCKET_NAME" $v.stores.paymentBucket -}}
{{- $_ := set $env "ORDER_SERVICE" (include "eshop.url" (dict "root" $root "name" "order")) -}}
{{- end -}}
{{- $env = mergeOverwrite $env (default dict $svc.env) -}}
{{- /* Fixed in production whatever the values say. */ -}}
{{- $_ := set $env "LOG_FORMAT" "json" -}}
{{- if or (eq $name "product") (eq $name "payment") -}}
{{- $_ := set $env "AWS_BOOTSTRAP" "false" -}}
{{- end -}}
{{- if eq $name "product" }}{{ $_ := set $env "PRODUCT_IMAGE_PROXY" "false" }}{{ end -}}
{{- if eq $name "order" }}{{ $_ := set $env "PAYMENT_PUBLIC_URL" (printf "https://api.%s" $v.domain) }}{{ end -}}
{{- range $k := keys $env | sortAlpha }}
{{ $k }}: {{ index $env $k | toString | quote }}
{{- end -}}
{{- end -}}

{{/* Non-secret settings of a Next app (frontends.md §4). */}}
{{- define "eshop.frontendEnv" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $app := index $v.frontends .name -}}
{{- $env := dict
  "PORT" (toString $app.port)
  "HOSTNAME" "0.0.0.0"
  "NODE_ENV" "production"
  "PRODUCT_SERVICE" (include "eshop.url" (dict "root" $root "name" "product"))
  "AUTH_SERVICE" (include "eshop.url" (dict "root" $root "name" "auth"))
  "ORDER_SERVICE" (include "eshop.url" (dict "root" $root "name" "order"))
  "PAYMENT_SERVICE" (include "eshop.url" (dict "root" $root "name" "payment"))
-}}
{{- if eq .name "frontend-customer" -}}
{{- $_ := set $env "CART_SERVICE" (include "eshop.url" (dict "root" $root "name" "cart")) -}}
{{- else -}}
{{- $_ := set $env "WAREHOUSE_SERVICE" (include "eshop.url" (dict "root" $root "name" "warehouse")) -}}
{{- $_ := set $env "SALES_REPORT_SERVICE" (include "eshop.url" (dict "root" $root "name" "sales-report")) -}}
{{- end -}}
{{- $env = mergeOverwrite $env (default dict $app.env) -}}
{{- $_ := set $env "COOKIE_SECURE" "true" -}}
{{- $_ := set $env "APP_ORIGIN" (printf "https://%s.%s" $app.host $v.domain) -}}
{{- range $k := keys $env | sortAlpha }}
{{ $k }}: {{ index $env $k | toString | quote }}
{{- end -}}
{{- end -}}

{{/* Pod-level identity for AWS: IRSA on EKS needs only the ServiceAccount annotation; on GKE the pod gets a
projected token AWS STS trusts, plus the variables the SDK's default chain reads (deploy.md §7). */}}
{{- define "eshop.awsEnv" -}}
{{- if and .svc.awsRole (eq .root.Values.cloud "gke") .svc.awsRoleArn }}
- name: AWS_ROLE_ARN
  value: {{ .svc.awsRoleArn | quote }}
- name: AWS_WEB_IDENTITY_TOKEN_FILE
  value: {{ printf "%s/token" .root.Values.aws.webIdentity.mountPath | quote }}
{{- end }}
{{- end -}}
