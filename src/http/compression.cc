#include "http/compression.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace keel::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "q=0.5" (RFC 9110 section 12.4.2: 0 to 1 with up to three decimals); nullopt if malformed.
std::optional<double> parse_q(std::string_view params) {
  std::optional<double> q;
  for (std::string_view p : list_elements(params, ';')) {
    size_t eq = p.find('=');
    if (eq == std::string_view::npos || lower(trim(p.substr(0, eq))) != "q") continue;
    std::string_view v = trim(p.substr(eq + 1));
    double d = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    q = std::clamp(d, 0.0, 1.0);
  }
  return q ? q : std::optional<double>(1.0);
}

const std::string* find_header(const Response& r, std::string_view lower_name) {
  for (const auto& [k, v] : r.headers)
    if (lower(k) == lower_name) return &v;
  return nullptr;
}

void add_vary(Response& r) {
  for (auto& [k, v] : r.headers) {
    if (lower(k) != "vary") continue;
    std::string l = lower(v);
    if (l.find("accept-encoding") == std::string::npos && l.find('*') == std::string::npos) v += ", Accept-Encoding";
    return;
  }
  r.set_header("Vary", "Accept-Encoding");
}

}  // namespace

std::string_view coding_name(Coding c) {
  switch (c) {
    case Coding::gzip:
      return "gzip";
    case Coding::br:
      return "br";
    case Coding::identity:
      break;
  }
  return "identity";
}

std::vector<std::string_view> list_elements(std::string_view value, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= value.size()) {
    size_t end = value.find(sep, i);
    if (end == std::string_view::npos) end = value.size();
    std::string_view item = trim(value.substr(i, end - i));
    if (!item.empty()) out.push_back(item);
    i = end + 1;
  }
  return out;
}

AcceptEncoding::AcceptEncoding(const std::string* header) {
  if (!header) return;
  present_ = true;
  for (std::string_view item : list_elements(*header)) {
    size_t semi = item.find(';');
    std::string name = lower(trim(item.substr(0, semi)));
    std::optional<double> q = parse_q(semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1));
    if (!q) continue;
    // The most favourable of repeated entries counts (a client naming gzip twice means it).
    auto keep = [&](std::optional<double>& slot) { slot = std::max(slot.value_or(0.0), *q); };
    if (name == "identity")
      keep(identity_);
    else if (name == "gzip" || name == "x-gzip")
      keep(gzip_);
    else if (name == "br")
      keep(br_);
    else if (name == "*")
      keep(star_);
  }
}

double AcceptEncoding::q(Coding c) const {
  if (!present_) return c == Coding::identity ? 1.0 : 0.0;
  const std::optional<double>& named = c == Coding::gzip ? gzip_ : (c == Coding::br ? br_ : identity_);
  if (named) return *named;
  if (star_) return *star_;
  return c == Coding::identity ? 1.0 : 0.0;
}

double AcceptEncoding::preference(Coding c) const {
  double v = q(c);
  if (c == Coding::identity && v > 0 && !identity_ && !star_) return 0.0001;  // below q=0.001
  return v;
}

Coding choose_coding(const AcceptEncoding& accept, std::span<const Coding> available) {
  Coding best = Coding::identity;
  double best_q = 0;
  bool identity_listed = false;
  for (Coding c : available) {
    identity_listed = identity_listed || c == Coding::identity;
    double q = accept.preference(c);
    if (q > best_q) {
      best = c;
      best_q = q;
    }
  }
  if (!identity_listed && accept.preference(Coding::identity) > best_q) best = Coding::identity;
  return best;
}

std::string gzip(std::string_view data, int level) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's own.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  out.resize(written);
  return out;
}

std::optional<std::string> gunzip(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return std::nullopt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_OK || rc == Z_STREAM_END) out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) rc = Z_BUF_ERROR;  // truncated
  }
  bool complete = rc == Z_STREAM_END && zs.avail_in == 0;
  inflateEnd(&zs);
  if (!complete) return std::nullopt;
  return out;
}

bool compressible_type(std::string_view content_type) {
  std::string t = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (t.rfind("text/", 0) == 0) return true;
  if (t == "image/svg+xml") return true;
  if (t.rfind("application/", 0) != 0) return false;
  std::string_view sub = std::string_view(t).substr(12);
  return sub == "json" || sub == "javascript" || sub == "xml" || sub == "manifest+json" ||
         (sub.size() > 5 && (sub.ends_with("+json") || sub.ends_with("+xml")));
}

bool compress_response(Response& r, const Request& req, size_t min_bytes) {
  if (r.status < 200 || r.status == 204 || r.status == 304) return false;
  if (!compressible_type(r.content_type)) return false;
  if (find_header(r, "content-encoding")) return false;  // already coded: its handler negotiated
  add_vary(r);
  if (req.method == "HEAD" || r.body.empty()) return false;
  AcceptEncoding accept(req.header("accept-encoding"));
  if (accept.q(Coding::gzip) <= 0) return false;
  bool identity_refused = accept.q(Coding::identity) <= 0;
  if (r.body.size() < min_bytes && !identity_refused) return false;
  if (accept.preference(Coding::identity) > accept.preference(Coding::gzip)) return false;
  r.body = gzip(r.body);
  r.set_header("Content-Encoding", "gzip");
  return true;
}

}  // namespace keel::http
