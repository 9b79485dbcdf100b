// Command render executes the Helm chart's templates the way `helm template` does, for machines without the
// helm binary (deploy.md §8). It provides the parts of Helm the chart uses: .Values (values.yaml merged with
// each -f file in order), .Release, .Chart, .Template, the sprig function library without env access, and
// Helm's include, tpl, required, toYaml, fromYaml and toJson. Output: the rendered documents, each headed by a
// `# Source:` comment, or with -values the merged values as JSON (for the values.schema.json check).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var files valueFiles
	chart := flag.String("chart", "deploy/k8s/eshop", "chart directory")
	release := flag.String("release", "eshop", "release name")
	namespace := flag.String("namespace", "eshop", "release namespace")
	dumpValues := flag.Bool("values", false, "print the merged values as JSON instead of rendering")
	flag.Var(&files, "f", "values file merged over values.yaml (repeatable)")
	flag.Parse()

	values, err := LoadValues(*chart, files)
	if err != nil {
		fail(err)
	}
	if *dumpValues {
		out, err := json.MarshalIndent(values, "", "  ")
		if err != nil {
			fail(err)
		}
		fmt.Println(string(out))
		return
	}
	docs, err := Render(*chart, values, Release{Name: *release, Namespace: *namespace})
	if err != nil {
		fail(err)
	}
	for _, doc := range docs {
		fmt.Printf("---\n# Source: %s\n%s\n", doc.Source, doc.Body)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "render:", err)
	os.Exit(1)
}

// Release is what templates see as .Release.
type Release struct {
	Name      string
	Namespace string
}

// Document is one rendered manifest and the template it came from.
type Document struct {
	Source string
	Body   string
}

// LoadValues reads the chart's values.yaml and merges each file over it, as `helm -f` does: maps merge key by
// key, anything else is replaced, and a null removes the key.
func LoadValues(chart string, files []string) (map[string]interface{}, error) {
	values, err := readYAML(filepath.Join(chart, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		over, err := readYAML(f)
		if err != nil {
			return nil, err
		}
		values = merge(values, over)
	}
	return values, nil
}

func readYAML(path string) (map[string]interface{}, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

func merge(base, over map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
			continue
		}
		bm, bok := out[k].(map[string]interface{})
		om, ook := v.(map[string]interface{})
		if bok && ook {
			out[k] = merge(bm, om)
		} else {
			out[k] = v
		}
	}
	return out
}

// Render executes every template of the chart (files starting with `_` only define named templates) and
// returns the non-empty documents in file order.
func Render(chart string, values map[string]interface{}, release Release) ([]Document, error) {
	meta, err := readYAML(filepath.Join(chart, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	chartName, _ := meta["name"].(string)
	paths, err := filepath.Glob(filepath.Join(chart, "templates", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)

	root := template.New("chart").Option("missingkey=zero")
	funcs := functions(root)
	root.Funcs(funcs)
	names := []string{}
	for _, p := range paths {
		ext := filepath.Ext(p)
		if ext != ".yaml" && ext != ".tpl" && ext != ".yml" {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := chartName + "/templates/" + filepath.Base(p)
		if _, err := root.New(name).Parse(string(raw)); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(filepath.Base(p), "_") {
			names = append(names, name)
		}
	}

	var docs []Document
	for _, name := range names {
		data := map[string]interface{}{
			"Values": values,
			"Release": map[string]interface{}{
				"Name": release.Name, "Namespace": release.Namespace, "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Chart": map[string]interface{}{
				"Name": chartName, "Version": meta["version"], "AppVersion": meta["appVersion"],
			},
			"Template": map[string]interface{}{"Name": name, "BasePath": chartName + "/templates"},
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return nil, err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		for _, part := range strings.Split(text, "\n---") {
			body := strings.TrimSpace(strings.TrimPrefix(part, "---"))
			if onlyComments(body) {
				continue
			}
			docs = append(docs, Document{Source: name, Body: body})
		}
	}
	return docs, nil
}

func onlyComments(body string) bool {
	for _, line := range strings.Split(body, "\n") {
		l := strings.TrimSpace(line)
		if l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// functions is sprig's text library as Helm ships it (no env/expandenv) plus Helm's own functions.
func functions(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	f["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		out := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &out); err != nil {
			out["Error"] = err.Error()
		}
		return out
	}
	f["toJson"] = func(v interface{}) string {
		out, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(out)
	}
	return f
}
