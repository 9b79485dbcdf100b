"""Static checks of the deployment artifacts (deploy.md §8), run by deploy/check.

  check.py manifests RENDERED.yaml K8S_VERSION   validate every rendered document (kubernetes-validate)
  check.py values VALUES.json SCHEMA.json        merged values against values.schema.json
  check.py compose                               docker-compose.yml: variables read by their service, runner's values
  check.py dockerfiles                           the Dockerfiles: parse and lint

Each prints one line per check and exits non-zero when one fails.
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUST_SERVICES = ["product", "cart", "auth", "order", "warehouse", "payment", "sales-report"]
FRONTENDS = ["frontend-customer", "frontend-admin"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def finish():
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


def split_documents(text):
    docs = []
    for part in re.split(r"^---\s*$", text, flags=re.M):
        body = "\n".join(l for l in part.splitlines() if not l.startswith("# Source:")).strip()
        if body:
            docs.append(body)
    return docs


def manifests(rendered, version):
    import yaml
    docs = split_documents(open(rendered).read())
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, body in enumerate(docs):
            doc = yaml.safe_load(body)
            # CRDs of the Prometheus operator have no built-in schema: checked by the chart tests instead.
            if doc.get("apiVersion", "").startswith("monitoring.coreos.com/"):
                check(doc.get("kind") in ("ServiceMonitor", "PrometheusRule") and doc["spec"], f"{doc['kind']} has a spec")
                continue
            path = os.path.join(tmp, f"{i:03d}-{doc['kind']}-{doc['metadata']['name']}.yaml")
            with open(path, "w") as f:
                f.write(body)
            files.append(path)
        out = subprocess.run(["kubernetes-validate", "--strict", "--no-warn", "-k", version, *files],
                             capture_output=True, text=True)
        for line in (out.stdout + out.stderr).splitlines():
            if line.startswith("INFO"):
                continue
            if line.strip():
                print("      " + line)
        valid = sum(1 for l in out.stdout.splitlines() if l.startswith("INFO") and " passed for resource " in l)
        check(out.returncode == 0 and valid == len(files),
              f"{os.path.basename(rendered)}: {valid}/{len(files)} documents valid for Kubernetes {version}")


def values(values_json, schema_json):
    import jsonschema
    try:
        jsonschema.validate(json.load(open(values_json)), json.load(open(schema_json)))
        check(True, f"{os.path.basename(values_json)} matches values.schema.json")
    except jsonschema.ValidationError as e:
        check(False, f"{os.path.basename(values_json)}: {e.message} at {list(e.absolute_path)}")


def source_text(dirs, patterns):
    text = []
    for d in dirs:
        for p in patterns:
            for f in glob.glob(os.path.join(ROOT, d, "**", p), recursive=True):
                if "/node_modules/" in f or "/.next/" in f:
                    continue
                text.append(open(f, encoding="utf-8", errors="replace").read())
    return "\n".join(text)


def runner_env(service):
    """The variables the native runner gives a service (scripts/lib/env.sh), in a clean environment."""
    script = f'source scripts/lib/env.sh; eshop_common_env; eshop_service_env {service}; env -0'
    if service in FRONTENDS:
        script = f'source scripts/lib/env.sh; eshop_common_env; eshop_frontend_env {service}; env -0'
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True,
                         env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")})
    pairs = [p.split("=", 1) for p in out.stdout.decode().split("\0") if "=" in p]
    return dict(pairs)


# Container host names for the runner's localhost addresses.
HOSTS = {"localhost:2001": "product:2001", "localhost:2002": "cart:2002", "localhost:2003": "auth:2003",
         "localhost:2004": "order:2004", "localhost:2005": "warehouse:2005", "localhost:2007": "sales-report:2007",
         "localhost:2006": "payment:2006", "localhost:5432": "postgres:5432", "localhost:3306": "mysql:3306",
         "127.0.0.1:6379": "redis:6379", "localhost:5000": "moto:5000"}
# Browser-facing or file-based settings, equal on purpose or absent from the runner.
SAME_AS_RUNNER = {"PAYMENT_PUBLIC_URL", "CORS_ALLOWED_ORIGINS", "APP_ORIGIN"}
# Read by the AWS SDK's default credential chain, not by our code (services that call AWS only).
SDK_READ = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
AWS_SERVICES = {"product", "payment", "auth"}
# Read by Next's standalone server (server.js), not by the app's code.
NEXT_READ = {"PORT", "HOSTNAME", "NODE_ENV"}
NOT_IN_RUNNER = {"COGNITO_ENV_FILE", "SESSION_SECRET", "SEED_ADMIN_USERNAME", "SEED_ADMIN_PASSWORD"}


def compose():
    import yaml
    path = os.path.join(ROOT, "docker-compose.yml")
    spec = yaml.safe_load(open(path))
    missing = [f for f in FRONTENDS if not os.path.isfile(os.path.join(ROOT, f, "package.json"))]
    checked = path
    if missing:
        # Compose refuses a build context that does not exist; validate the rest and say what was left out.
        print(f"note  {', '.join(missing)} not in the tree: validated without them")
        for f in missing:
            spec["services"].pop(f)
        fd, checked = tempfile.mkstemp(suffix=".yml", dir=ROOT)
        with os.fdopen(fd, "w") as f:
            yaml.safe_dump(spec, f)
    try:
        out = subprocess.run(["docker-compose", "-f", checked, "config", "-q"], capture_output=True, text=True,
                             cwd=ROOT)
        check(out.returncode == 0, "docker-compose config -q" + (": " + out.stderr.strip() if out.returncode else ""))
    finally:
        if checked != path:
            os.unlink(checked)

    for name, svc in spec["services"].items():
        image = svc.get("image", "")
        owner = image[len("eshop-"):] if image.startswith("eshop-") else None
        if owner not in RUST_SERVICES + FRONTENDS:
            continue
        env = svc.get("environment") or {}
        if owner in RUST_SERVICES:
            text = source_text([f"services/{owner}/src", "crates/common/src"], ["*.rs"])
            read = lambda k: f'"{k}"' in text or (k in SDK_READ and owner in AWS_SERVICES)
        else:
            text = source_text([owner], ["*.ts", "*.tsx", "*.js", "*.mjs"])
            read = lambda k: k in text or k in NEXT_READ
        unread = [k for k in env if not read(k)]
        check(not unread, f"{name}: every variable is read by {owner}" + (f" (not read: {unread})" if unread else ""))
        runner = runner_env(owner)
        differ = []
        for k, v in env.items():
            if k in NOT_IN_RUNNER or k not in runner:
                continue
            want = runner[k]
            if k not in SAME_AS_RUNNER:
                for local, host in HOSTS.items():
                    want = want.replace(local, host)
            if str(v) != want:
                differ.append(f"{k}={v!r}, runner {want!r}")
        check(not differ, f"{name}: values equal the runner's" + (f" ({'; '.join(differ)})" if differ else ""))
        if owner in RUST_SERVICES and name == owner:
            port = {"product": 2001, "cart": 2002, "auth": 2003, "order": 2004, "warehouse": 2005,
                    "payment": 2006, "sales-report": 2007}[owner]
            check(str(env.get("HTTP_PORT")) == str(port) and f"{port}:{port}" in svc.get("ports", []),
                  f"{name}: listens on {port}")
            check(bool(svc.get("healthcheck")), f"{name}: has a healthcheck")
    for store in ["postgres", "mysql", "redis", "moto"]:
        check(bool(spec["services"].get(store, {}).get("healthcheck")), f"{store}: has a healthcheck")
    for k in ("PROOF_LINK_SECRET",):
        holders = sorted(n for n, s in spec["services"].items() if k in (s.get("environment") or {}))
        check(holders == ["order", "payment"], f"{k} only in order and payment (in {holders})")


def dockerfiles():
    from dockerfile_parse import DockerfileParser
    files = [os.path.join(ROOT, "Dockerfile")] + sorted(glob.glob(os.path.join(ROOT, "deploy", "compose", "*.Dockerfile")))
    files += [os.path.join(ROOT, f, "Dockerfile") for f in FRONTENDS if os.path.isfile(os.path.join(ROOT, f, "Dockerfile"))]
    for path in files:
        rel = os.path.relpath(path, ROOT)
        parser = DockerfileParser(path=path)
        instructions = parser.structure
        check(bool(instructions), f"{rel}: parses")
        froms = [i["value"].split()[0] for i in instructions if i["instruction"] == "FROM"]
        check(all(":" in f and not f.endswith(":latest") for f in froms), f"{rel}: every base image has a pinned tag {froms}")
        users = [i["value"] for i in instructions if i["instruction"] == "USER"]
        last_from = max(n for n, i in enumerate(instructions) if i["instruction"] == "FROM")
        final_users = [i["value"] for i in instructions[last_from:] if i["instruction"] == "USER"]
        check(bool(final_users) and not final_users[-1].split(":")[0] in ("root", "0"), f"{rel}: runs as a non-root user {users}")
        check(not any(i["instruction"] == "ADD" and re.search(r"https?://", i["value"]) for i in instructions),
              f"{rel}: no ADD from a URL")
        entry = [i for i in instructions[last_from:] if i["instruction"] in ("ENTRYPOINT", "CMD")]
        check(bool(entry) and entry[-1]["value"].strip().startswith("["), f"{rel}: exec-form entrypoint")
        if rel == "Dockerfile":
            text = open(path).read()
            check("--locked" in text and "--release" in text, "Dockerfile: release build from the lock file")
            check(froms[-1].startswith("gcr.io/distroless/") and "nonroot" in froms[-1], "Dockerfile: distroless nonroot runtime")
            check(any(i["instruction"] == "EXPOSE" for i in instructions[last_from:]), "Dockerfile: exposes the port")
    ignore = open(os.path.join(ROOT, ".dockerignore")).read().split()
    check("target" in ignore and ".git" in ignore and "var" in ignore, ".dockerignore keeps target, var and .git out")


if __name__ == "__main__":
    cmd = sys.argv[1]
    {"manifests": lambda: manifests(sys.argv[2], sys.argv[3]),
     "values": lambda: values(sys.argv[2], sys.argv[3]),
     "compose": compose, "dockerfiles": dockerfiles}[cmd]()
    finish()
