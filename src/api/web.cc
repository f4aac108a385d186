// Serves the built web app (web/dist) at "/". Hashed assets under /assets/ are cached for a
// year; index.html is never cached, so a deploy reaches every browser on its next load. Paths
// that are not files fall back to index.html (client-side routing). Each file is sent as the
// brotli or gzip copy the build wrote beside it (file.br, file.gz) when the client accepts
// one (http/compression.h), with an ETag per copy and 304 for If-None-Match. Every answer to
// a non-API path is an HTML page: without a built app "/" shows where the API and its
// documentation are; while a deploy has no index.html in place, 503 "being updated".
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "api/api.h"
#include "api/schema.h"
#include "http/compression.h"

namespace keel::api {
namespace fs = std::filesystem;

namespace {

std::string mime_for(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
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

// A small page of its own for what is not the app: a missing file, or the app being replaced.
http::Response html_page(int status, const std::string& title, const std::string& text) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>" +
      title +
      " - Keel CRM</title>\n<style>body{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;max-width:40rem;"
      "margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head>\n<body><h1>" +
      title + "</h1><p>" + text + "</p></body></html>\n";
  r.set_header("Cache-Control", "no-store");
  set_page_security_headers(r);
  return r;
}

http::Response not_found_page() {
  return html_page(404, "No such page", "This address is not part of Keel. <a href=\"/\">Go to the start page</a>.");
}

// Between two builds, or while the first one is made: browsers are told to come back shortly.
http::Response updating_page() {
  http::Response r = html_page(503, "Keel is being updated",
                               "Keel is being updated, reload in a moment. / Keel 正在更新，请稍后刷新页面。"
                               "<script>setTimeout(function(){location.reload()},5000)</script>");
  r.set_header("Retry-After", "5");
  return r;
}

// A validator per file and coding: the file's size and modification time (as nginx does; a
// build writes new files, so both change with the content), and the coding, so that a cache
// never answers a gzip request with the brotli bytes.
std::string etag_for(const fs::path& file, http::Coding coding) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  auto mtime = fs::last_write_time(file, ec).time_since_epoch();
  std::ostringstream o;
  o << '"' << std::hex << size << '-' << std::chrono::duration_cast<std::chrono::microseconds>(mtime).count();
  if (coding != http::Coding::identity) o << '-' << http::coding_name(coding);
  o << '"';
  return o.str();
}

// If-None-Match (RFC 9110 section 13.1.2): "*" or a list of entity tags, compared weakly.
bool none_match(const std::string* header, const std::string& etag) {
  if (!header) return false;
  auto opaque = [](std::string_view t) { return t.rfind("W/", 0) == 0 ? t.substr(2) : t; };
  for (std::string_view tag : http::list_elements(*header))
    if (tag == "*" || opaque(tag) == opaque(etag)) return true;
  return false;
}

bool regular_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

void add_web_routes(Api& api) {
  auto serve = [&api](Call& c) {
    const std::string& root_s = api.options().web_root;
    std::error_code ec;
    // The root as it is now: web/dist is a symlink that a deploy swaps in one rename
    // (web/scripts/build.mjs), so it is resolved once per request and every file of this
    // answer comes from the same build.
    fs::path root = root_s.empty() ? fs::path() : fs::canonical(root_s, ec);
    if (root_s.empty() || ec || !regular_file(root / "index.html")) {
      bool deploying = !root_s.empty() && (fs::exists(root_s, ec) || fs::is_symlink(root_s, ec));
      if (deploying) return updating_page();
      if (c.req.path != "/") return not_found_page();
      http::Response r;
      r.content_type = "text/html; charset=utf-8";
      r.body = kApiIndex;
      r.set_header("Cache-Control", "no-cache");
      set_page_security_headers(r);
      return r;
    }
    std::string rel = c.req.path.substr(1);
    bool hashed = rel.rfind("assets/", 0) == 0;
    std::optional<fs::path> found = resolve_inside(root.string(), c.req.path);
    if (!found) {
      if (hashed) return not_found_page();
      found = root / "index.html";
    }
    const fs::path& file = *found;
    std::string type = mime_for(file);
    // The copies the build wrote, then gzip made now for a large text file without one.
    std::vector<http::Coding> available;
    bool compressible = http::compressible_type(type);
    if (compressible) {
      if (regular_file(file.string() + ".br")) available.push_back(http::Coding::br);
      if (regular_file(file.string() + ".gz") || fs::file_size(file, ec) >= http::kCompressMinBytes)
        available.push_back(http::Coding::gzip);
    }
    available.push_back(http::Coding::identity);
    http::Coding coding = http::choose_coding(http::AcceptEncoding(c.req.header("accept-encoding")), available);
    fs::path variant = coding == http::Coding::br     ? fs::path(file.string() + ".br")
                       : coding == http::Coding::gzip ? fs::path(file.string() + ".gz")
                                                      : file;
    bool made_now = coding == http::Coding::gzip && !regular_file(variant);
    if (made_now) variant = file;
    http::Response r;
    std::string etag = etag_for(file, coding);
    r.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    r.set_header("ETag", etag);
    if (compressible) r.set_header("Vary", "Accept-Encoding");
    bool html = type.rfind("text/html", 0) == 0;
    if (html) set_page_security_headers(r);
    if (none_match(c.req.header("if-none-match"), etag)) {
      r.status = 304;
      r.content_type.clear();
      return r;
    }
    auto body = read_file(variant);
    if (!body) return not_found_page();
    r.content_type = type;
    r.body = made_now ? http::gzip(*body) : std::move(*body);
    if (coding != http::Coding::identity) r.set_header("Content-Encoding", std::string(http::coding_name(coding)));
    return r;
  };
  // Not in the OpenAPI document (it describes /api/ and the operators' routes), but specified
  // like every route.
  api.route(RouteSpec{.method = "GET",
                      .path = "/",
                      .access = Access::public_,
                      .summary = "Web app",
                      .replies = {{200, "The web app, or without a built app a page that points to the API",
                                   schema::str(), "text/html"}},
                      .handler = serve});
  api.set_web_fallback(serve);
}

}  // namespace keel::api
