// Serves the built web app (web/dist) at "/". Hashed assets under /assets/ are cached for a
// year; index.html is never cached, so a deploy reaches every browser on its next load. Paths
// that are not files fall back to index.html (client-side routing). Without a built app, "/"
// shows where the API and its documentation are.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <sstream>

#include "api/api.h"

namespace keel::api {
namespace fs = std::filesystem;

namespace {

std::string mime_for(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".webmanifest") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The regular file that the (percent-decoded) request path names inside the web root, or nothing.
// The path is taken apart into segments and joined to the root one by one, so an absolute path
// ("//etc/passwd", "/%2Fetc/passwd") can never replace the root; the result is resolved
// canonically (following symlinks) and must lie inside the canonical root, compared component
// by component: a sibling such as web/dist-old or web/dist.bak is not "inside" web/dist.
std::optional<fs::path> resolve_inside(const std::string& root_s, const std::string& request_path) {
  std::error_code ec;
  fs::path root = fs::canonical(root_s, ec);
  if (ec) return std::nullopt;
  fs::path file = root;
  size_t i = 0;
  bool any = false;
  while (i < request_path.size()) {
    size_t j = request_path.find('/', i);
    if (j == std::string::npos) j = request_path.size();
    std::string seg = request_path.substr(i, j - i);
    i = j + 1;
    if (seg.empty()) continue;
    if (seg == "." || seg == ".." || seg.find('\0') != std::string::npos || seg.find('\\') != std::string::npos)
      return std::nullopt;
    file /= seg;
    any = true;
  }
  if (!any) return std::nullopt;
  fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
  auto [r, f] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (r != root.end()) return std::nullopt;
  return real;
}

const char* kApiIndex = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keel CRM</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Keel CRM</h1>
<p>The Keel server is running. The web app has not been built on this machine (run <code>./scripts/run</code>, which builds it when <code>web/</code> is present).</p>
<ul>
<li>API description (OpenAPI 3): <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></li>
<li>Sign in: <code>POST /api/v1/auth/login</code> with <code>{"email": ..., "password": ...}</code></li>
<li>Health: <a href="/healthz">/healthz</a>, readiness: <a href="/readyz">/readyz</a>, metrics: <a href="/metrics">/metrics</a></li>
</ul></body></html>
)";

// The app's pages may not be framed by other sites (clickjacking) and load code only from
// this server. Styles allow inline because the component library sets styles at run time.
void set_page_security_headers(http::Response& r) {
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
               "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
               "form-action 'self'");
  r.set_header("Referrer-Policy", "same-origin");
}

}  // namespace

void add_web_routes(Api& api) {
  auto serve = [&api](Call& c) {
    const std::string& root_s = api.options().web_root;
    http::Response r;
    if (root_s.empty() || !fs::exists(fs::path(root_s) / "index.html")) {
      if (c.req.path != "/") throw not_found("No such page");
      r.content_type = "text/html; charset=utf-8";
      r.body = kApiIndex;
      r.set_header("Cache-Control", "no-cache");
      set_page_security_headers(r);
      return r;
    }
    std::string rel = c.req.path.substr(1);
    std::optional<fs::path> found = resolve_inside(root_s, c.req.path);
    if (!found) {
      if (rel.rfind("assets/", 0) == 0) throw not_found("No such file");
      found = fs::path(root_s) / "index.html";
    }
    const fs::path& file = *found;
    auto body = read_file(file);
    if (!body) throw not_found("No such file");
    r.content_type = mime_for(file);
    r.body = std::move(*body);
    bool hashed = rel.rfind("assets/", 0) == 0;
    r.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    if (r.content_type.rfind("text/html", 0) == 0) set_page_security_headers(r);
    return r;
  };
  api.route("GET", "/", Access::public_, serve, "Web app");
  api.set_web_fallback(serve);
}

}  // namespace keel::api
