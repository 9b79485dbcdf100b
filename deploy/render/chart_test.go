package main

// Chart tests on the rendered output (deploy.md §8): what is public, probes and security, who may call whom,
// where secrets go, and the identity wiring per cloud.

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const chartDir = "../k8s/eshop"

type manifest = map[string]interface{}

// deploy.md §4: the public prefixes of the api host.
var publicPrefixes = map[string][]string{
	"product":      {"/v1/products", "/v1/categories"},
	"cart":         {"/v1/carts"},
	"order":        {"/v1/orders"},
	"payment":      {"/v1/payments"},
	"warehouse":    {"/v1/warehouse", "/v1/warehouse-products", "/v1/stock-movements", "/v1/stock-alerts", "/v1/reservations"},
	"sales-report": {"/v1/sales"},
}

// deploy.md §5: pods admitted per target besides the ingress controller, monitoring and the kubelet.
var admittedPods = map[string][]string{
	"frontend-customer": {},
	"frontend-admin":    {},
	"product":           {"frontend-customer", "frontend-admin", "cart", "order", "warehouse"},
	"cart":              {"frontend-customer", "product"},
	"auth":              {"frontend-customer", "frontend-admin"},
	"order":             {"frontend-customer", "frontend-admin", "cart", "payment"},
	"warehouse":         {"frontend-admin", "order", "product"},
	"payment":           {"frontend-customer", "frontend-admin"},
	"sales-report":      {"frontend-admin", "order"},
}

func valueSets() map[string][]string {
	return map[string][]string{
		"values.yaml": nil,
		"eks":         {filepath.Join(chartDir, "values-eks.yaml")},
		"gke":         {filepath.Join(chartDir, "values-gke.yaml")},
		"gke+full":    {filepath.Join(chartDir, "values-gke.yaml"), "testdata/full.yaml"},
		"eks+full":    {filepath.Join(chartDir, "values-eks.yaml"), "testdata/full.yaml"},
	}
}

func render(t *testing.T, files []string) []manifest {
	t.Helper()
	values, err := LoadValues(chartDir, files)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := Render(chartDir, values, Release{Name: "eshop", Namespace: "eshop"})
	if err != nil {
		t.Fatal(err)
	}
	var out []manifest
	for _, d := range docs {
		m := manifest{}
		if err := yaml.Unmarshal([]byte(d.Body), &m); err != nil {
			t.Fatalf("%s does not parse: %v\n%s", d.Source, err, d.Body)
		}
		out = append(out, m)
	}
	return out
}

func renderError(files []string) error {
	values, err := LoadValues(chartDir, files)
	if err != nil {
		return err
	}
	_, err = Render(chartDir, values, Release{Name: "eshop", Namespace: "eshop"})
	return err
}

func get(v interface{}, path ...interface{}) interface{} {
	for _, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]interface{})
			if !ok {
				return nil
			}
			v = m[key]
		case int:
			l, ok := v.([]interface{})
			if !ok || key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}

func str(v interface{}, path ...interface{}) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v interface{}, path ...interface{}) []interface{} {
	l, _ := get(v, path...).([]interface{})
	return l
}

func ofKind(ms []manifest, kind string) []manifest {
	var out []manifest
	for _, m := range ms {
		if m["kind"] == kind {
			out = append(out, m)
		}
	}
	return out
}

func byName(ms []manifest, kind, name string) manifest {
	for _, m := range ofKind(ms, kind) {
		if str(m, "metadata", "name") == name {
			return m
		}
	}
	return nil
}

func TestIngressRoutesExactlyThePublicPrefixesAndNothingInternal(t *testing.T) {
	forbidden := []string{"/internal", "/metrics", "/openapi.json", "/ready", "/health"}
	for set, files := range valueSets() {
		ms := render(t, files)
		ingresses := ofKind(ms, "Ingress")
		if len(ingresses) != 1 {
			t.Fatalf("%s: %d ingresses", set, len(ingresses))
		}
		got := map[string][]string{}
		hosts := map[string]string{}
		for _, rule := range list(ingresses[0], "spec", "rules") {
			host := str(rule, "host")
			for _, p := range list(rule, "http", "paths") {
				path := str(p, "path")
				svc := str(p, "backend", "service", "name")
				for _, f := range forbidden {
					if strings.HasPrefix(path, f) {
						t.Errorf("%s: %s%s is routed", set, host, path)
					}
				}
				if svc == "auth" {
					t.Errorf("%s: %s%s reaches auth", set, host, path)
				}
				if str(p, "pathType") != "Prefix" {
					t.Errorf("%s: %s is not a Prefix path", set, path)
				}
				if strings.HasPrefix(host, "api.") {
					got[svc] = append(got[svc], path)
				} else {
					hosts[host] = svc
				}
			}
		}
		if !reflect.DeepEqual(got, publicPrefixes) {
			t.Errorf("%s: api prefixes %v, want %v", set, got, publicPrefixes)
		}
		if hosts["shop.eshop.example.com"] != "frontend-customer" || hosts["admin.eshop.example.com"] != "frontend-admin" {
			t.Errorf("%s: app hosts %v", set, hosts)
		}
	}
}

func TestAPublicPrefixOutsideV1IsRefused(t *testing.T) {
	f := writeValues(t, "services:\n  order:\n    public: [/v1/orders, /internal/orders]\n")
	if err := renderError([]string{f}); err == nil || !strings.Contains(err.Error(), "not a public /v1 prefix") {
		t.Fatalf("rendered anyway: %v", err)
	}
}

func TestEveryDeploymentHasProbesSecurityContextAndResources(t *testing.T) {
	for set, files := range valueSets() {
		ms := render(t, files)
		deployments := ofKind(ms, "Deployment")
		if len(deployments) != 9 {
			t.Fatalf("%s: %d deployments, want 7 services and 2 apps", set, len(deployments))
		}
		for _, d := range deployments {
			name := str(d, "metadata", "name")
			pod := get(d, "spec", "template", "spec")
			if get(pod, "securityContext", "runAsNonRoot") != true {
				t.Errorf("%s/%s: pod may run as root", set, name)
			}
			for _, c := range list(pod, "containers") {
				health, ready := "/health", "/ready"
				if strings.HasPrefix(name, "frontend-") {
					health, ready = "/api/health", "/api/health"
				}
				for probe, path := range map[string]string{"livenessProbe": health, "readinessProbe": ready, "startupProbe": health} {
					if got := str(c, probe, "httpGet", "path"); got != path {
						t.Errorf("%s/%s: %s on %q, want %q", set, name, probe, got, path)
					}
				}
				sc := get(c, "securityContext")
				if get(sc, "readOnlyRootFilesystem") != true || get(sc, "allowPrivilegeEscalation") != false ||
					get(sc, "runAsNonRoot") != true || !reflect.DeepEqual(list(sc, "capabilities", "drop"), []interface{}{"ALL"}) {
					t.Errorf("%s/%s: weak container securityContext %v", set, name, sc)
				}
				if get(c, "resources", "requests", "cpu") == nil || get(c, "resources", "requests", "memory") == nil ||
					get(c, "resources", "limits", "memory") == nil {
					t.Errorf("%s/%s: resources %v", set, name, get(c, "resources"))
				}
			}
			if byName(ms, "HorizontalPodAutoscaler", name) == nil || byName(ms, "PodDisruptionBudget", name) == nil ||
				byName(ms, "Service", name) == nil || byName(ms, "ServiceAccount", name) == nil || byName(ms, "ConfigMap", name) == nil {
				t.Errorf("%s/%s: missing one of HPA, PDB, Service, ServiceAccount, ConfigMap", set, name)
			}
		}
	}
}

func TestNetworkPoliciesAdmitExactlyTheCallersOfTheTable(t *testing.T) {
	for set, files := range valueSets() {
		ms := render(t, files)
		deny := byName(ms, "NetworkPolicy", "eshop-default-deny")
		if deny == nil || len(get(deny, "spec", "podSelector").(map[string]interface{})) != 0 || get(deny, "spec", "ingress") != nil {
			t.Fatalf("%s: no default deny of all ingress traffic", set)
		}
		for target, want := range admittedPods {
			np := byName(ms, "NetworkPolicy", target)
			if np == nil {
				t.Fatalf("%s: no policy for %s", set, target)
			}
			var pods []string
			fromIngress := false
			for _, rule := range list(np, "spec", "ingress") {
				for _, peer := range list(rule, "from") {
					if name := str(peer, "podSelector", "matchLabels", "app.kubernetes.io/name"); name != "" {
						pods = append(pods, name)
					}
					if str(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "ingress-nginx" {
						fromIngress = true
					}
				}
			}
			sort.Strings(pods)
			sorted := append([]string{}, want...)
			sort.Strings(sorted)
			if !reflect.DeepEqual(pods, sorted) && !(len(pods) == 0 && len(sorted) == 0) {
				t.Errorf("%s: %s admits %v, want %v", set, target, pods, sorted)
			}
			if fromIngress == (target == "auth") {
				t.Errorf("%s: %s ingress-controller access = %v", set, target, fromIngress)
			}
		}
	}
}

func TestProofLinkSecretReachesOnlyOrderAndPayment(t *testing.T) {
	ms := render(t, valueSets()["gke+full"])
	for _, s := range ofKind(ms, "Secret") {
		name := strings.TrimPrefix(str(s, "metadata", "name"), "eshop-")
		_, has := get(s, "stringData").(map[string]interface{})["PROOF_LINK_SECRET"]
		if has != (name == "order" || name == "payment") {
			t.Errorf("secret of %s holds PROOF_LINK_SECRET: %v", name, has)
		}
	}
	for _, cm := range ofKind(ms, "ConfigMap") {
		if _, has := get(cm, "data").(map[string]interface{})["PROOF_LINK_SECRET"]; has {
			t.Errorf("ConfigMap %s holds PROOF_LINK_SECRET", str(cm, "metadata", "name"))
		}
	}
	f := writeValues(t, "secrets:\n  values:\n    cart:\n      PROOF_LINK_SECRET: "+strings.Repeat("x", 40)+"\n")
	if err := renderError([]string{filepath.Join(chartDir, "values-gke.yaml"), "testdata/full.yaml", f}); err == nil {
		t.Error("a proof link secret for cart rendered")
	}
}

func TestCreatedSecretsRefuseLocalDefaultsAndShortTokens(t *testing.T) {
	ms := render(t, valueSets()["eks+full"])
	if len(ofKind(ms, "Secret")) != 9 {
		t.Fatalf("%d secrets, want one per workload", len(ofKind(ms, "Secret")))
	}
	for _, s := range ofKind(ms, "Secret") {
		for key, v := range get(s, "stringData").(map[string]interface{}) {
			val := fmt.Sprint(v)
			if key == "SERVICE_TOKEN" || key == "PROOF_LINK_SECRET" || key == "SESSION_SECRET" {
				if len(val) < 32 || strings.HasPrefix(val, "local-") {
					t.Errorf("%s %s is weak", str(s, "metadata", "name"), key)
				}
			}
		}
	}
	bad := map[string]string{
		"local default":  "secrets:\n  values:\n    cart:\n      SERVICE_TOKEN: local-cart-token\n",
		"short token":    "secrets:\n  values:\n    cart:\n      SERVICE_TOKEN: tooshort\n",
		"short internal": "secrets:\n  values:\n    order:\n      INTERNAL_TOKENS: payment:abc\n",
		"short session":  "secrets:\n  values:\n    frontend-admin:\n      SESSION_SECRET: local-session-secret-for-dev-only\n",
	}
	for what, body := range bad {
		f := writeValues(t, body)
		if err := renderError([]string{filepath.Join(chartDir, "values-eks.yaml"), "testdata/full.yaml", f}); err == nil {
			t.Errorf("%s rendered", what)
		}
	}
}

func TestProductionSettingsAreFixedWhateverTheValuesSay(t *testing.T) {
	f := writeValues(t, "services:\n  product:\n    env:\n      PRODUCT_IMAGE_PROXY: \"true\"\n      AWS_BOOTSTRAP: \"true\"\n      LOG_FORMAT: pretty\n")
	ms := render(t, []string{filepath.Join(chartDir, "values-eks.yaml"), f})
	data := get(byName(ms, "ConfigMap", "product"), "data")
	for k, want := range map[string]string{"PRODUCT_IMAGE_PROXY": "false", "AWS_BOOTSTRAP": "false", "LOG_FORMAT": "json",
		"CART_SERVICE": "http://cart:2002", "WAREHOUSE_SERVICE": "http://warehouse:2005"} {
		if got := str(data, k); got != want {
			t.Errorf("product %s = %q, want %q", k, got, want)
		}
	}
	if str(get(byName(ms, "ConfigMap", "order"), "data"), "PAYMENT_PUBLIC_URL") != "https://api.eshop.example.com" {
		t.Error("order's PAYMENT_PUBLIC_URL is not the api host")
	}
	if str(get(byName(ms, "ConfigMap", "frontend-customer"), "data"), "COOKIE_SECURE") != "true" {
		t.Error("the shop's cookies are not secure")
	}
	for _, cm := range ofKind(ms, "ConfigMap") {
		if _, has := get(cm, "data").(map[string]interface{})["AWS_ENDPOINT_URL"]; has {
			t.Errorf("%s points AWS at an emulator", str(cm, "metadata", "name"))
		}
	}
}

func TestAwsIdentityIsIrsaOnEksAndAProjectedTokenOnGke(t *testing.T) {
	eks := render(t, valueSets()["eks"])
	gke := render(t, valueSets()["gke"])
	for _, name := range []string{"product", "payment", "auth", "cart", "order", "warehouse", "sales-report"} {
		aws := name == "product" || name == "payment" || name == "auth"
		role := str(byName(eks, "ServiceAccount", name), "metadata", "annotations", "eks.amazonaws.com/role-arn")
		if (role != "") != aws {
			t.Errorf("eks: %s role annotation %q", name, role)
		}
		c := get(byName(gke, "Deployment", name), "spec", "template", "spec", "containers", 0)
		var roleEnv string
		for _, e := range list(c, "env") {
			if str(e, "name") == "AWS_ROLE_ARN" {
				roleEnv = str(e, "value")
			}
		}
		if (roleEnv != "") != aws {
			t.Errorf("gke: %s AWS_ROLE_ARN %q", name, roleEnv)
		}
		if aws {
			audience := str(byName(gke, "Deployment", name), "spec", "template", "spec", "volumes", 1, "projected", "sources", 0, "serviceAccountToken", "audience")
			if audience != "sts.amazonaws.com" {
				t.Errorf("gke: %s projected token audience %q", name, audience)
			}
		}
		for _, set := range [][]manifest{eks, gke} {
			if get(byName(set, "ConfigMap", name), "data", "AWS_SECRET_ACCESS_KEY") != nil {
				t.Errorf("%s gets a static AWS key", name)
			}
		}
	}
}

func TestMigrationsRunAsPreInstallHooksForEachSqlService(t *testing.T) {
	ms := render(t, valueSets()["eks"])
	var migrated []string
	for _, job := range ofKind(ms, "Job") {
		if str(job, "metadata", "annotations", "helm.sh/hook") == "pre-install,pre-upgrade" {
			c := get(job, "spec", "template", "spec", "containers", 0)
			if !reflect.DeepEqual(list(c, "args"), []interface{}{"migrate"}) {
				t.Errorf("%s runs %v", str(job, "metadata", "name"), list(c, "args"))
			}
			migrated = append(migrated, str(job, "metadata", "name"))
		}
	}
	sort.Strings(migrated)
	want := []string{"cart-migrate", "order-migrate", "payment-migrate", "sales-report-migrate", "warehouse-migrate"}
	if !reflect.DeepEqual(migrated, want) {
		t.Errorf("migration jobs %v, want %v", migrated, want)
	}
}

func TestMonitoringAddsAServiceMonitorAndTheThreeAlerts(t *testing.T) {
	ms := render(t, valueSets()["gke+full"])
	if len(ofKind(ms, "ServiceMonitor")) != 1 {
		t.Fatal("no ServiceMonitor")
	}
	rules := list(ofKind(ms, "PrometheusRule")[0], "spec", "groups", 0, "rules")
	var alerts []string
	for _, r := range rules {
		alerts = append(alerts, str(r, "alert"))
	}
	if !reflect.DeepEqual(alerts, []string{"EshopOutboxParked", "EshopOutboxStuck", "EshopNotReady"}) {
		t.Errorf("alerts %v", alerts)
	}
}

func writeValues(t *testing.T, body string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
