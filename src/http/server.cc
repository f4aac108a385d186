#include "http/server.h"

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/text.h"
#include "http/compression.h"

namespace keel::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  App app;
  ErrorPage error_page;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::atomic<bool> draining{false};
  std::atomic<int64_t> in_flight{0};
  // Lock annotation (GCC has no -Wthread-safety): `sessions` is guarded by sessions_mu.
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Session>> sessions;  // guarded by sessions_mu; live connections, closed on stop

  Impl(ServerOptions o, App a, ErrorPage e) : options(std::move(o)), app(std::move(a)), error_page(std::move(e)) {}
  void accept();
  void adopt(tcp::socket socket);  // starts a session on an accepted connection
  void remove(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mu);
    sessions.erase(s);
  }
};

namespace {

Request to_request(const bhttp::request<bhttp::string_body>& msg, const std::string& remote_ip) {
  Request req;
  req.method = std::string(msg.method_string());
  // Browsers and fetch() send [ ] { } | ^ raw in query strings (RFC 3986 wants them
  // percent-encoded), and filters are written as amount_minor[gte]=...: accept them by encoding
  // those characters in the query before the strict parse.
  std::string target(msg.target());
  if (auto qpos = target.find('?'); qpos != std::string::npos) {
    std::string fixed = target.substr(0, qpos + 1);
    static const char* hex = "0123456789ABCDEF";
    for (size_t i = qpos + 1; i < target.size(); ++i) {
      char ch = target[i];
      if (ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '|' || ch == '^') {
        fixed += '%';
        fixed += hex[(static_cast<unsigned char>(ch) >> 4) & 0xF];
        fixed += hex[static_cast<unsigned char>(ch) & 0xF];
      } else {
        fixed += ch;
      }
    }
    target = std::move(fixed);
  }
  auto url = boost::urls::parse_origin_form(target);
  if (url) {
    req.path = std::string(url->path());
    for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : std::string());
  } else {
    req.path = "\x01invalid";
  }
  for (auto const& f : msg) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = req.headers.emplace(name, std::string(f.value()));
    if (!inserted) it->second += ", " + std::string(f.value());
  }
  req.body = msg.body();
  req.remote_ip = remote_ip;
  return req;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server), idle_timer_(stream_.get_executor()) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

  // Called on stop: close the connection now if it is idle between requests; otherwise it
  // closes after writing its current response. "Idle" must not race with a request that has
  // arrived while every thread was busy: between requests the session only *waits* for the
  // socket to become readable (nothing is consumed), so an arrived request is still in the
  // kernel's buffer, seen by available(), and gets served.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      if (self->waiting_ && self->buffer_.size() == 0 && self->stream_.socket().available(ec) == 0 && !ec) {
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void read() {
    busy_ = false;
    waiting_ = true;
    if (buffer_.size() > 0) return start_read();  // a pipelined request is already buffered
    // The stream's own timeout covers reads and writes, not this wait: a timer of its own closes
    // a connection that stays silent for the read timeout.
    idle_timer_.expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->waiting_) {
        beast::error_code ig;
        self->stream_.socket().close(ig);
      }
    });
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      self->idle_timer_.cancel();
      if (ec) return self->finish();
      self->start_read();
    });
  }

  void start_read() {
    waiting_ = false;
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    // The header first: its framing is checked (Host, Transfer-Encoding) before any body byte
    // is read, so a body is never mistaken for the next request.
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  static bool is_quiet_end(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
           ec == asio::error::connection_reset || ec == asio::error::bad_descriptor || ec == asio::error::eof;
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (is_quiet_end(ec)) return finish();
    if (ec) return reject(ec);
    if (auto problem = check_framing(parser_->get())) return refuse(problem->status, problem->code, problem->message);
    if (parser_->is_done()) return on_read({}, 0);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  struct Framing {
    int status;
    std::string code, message;
  };

  // RFC 9112: a request's body length must be unambiguous. Beast reads a Transfer-Encoding whose
  // final coding is not chunked as "no body", which would let the body pass for a second request
  // (request smuggling); such requests are refused and the connection closed. Keel decodes no
  // transfer coding but chunked.
  static std::optional<Framing> check_framing(const bhttp::request<bhttp::string_body>& msg) {
    size_t hosts = 0;
    for (const auto& f : msg)
      if (f.name() == bhttp::field::host) ++hosts;
    if (msg.version() >= 11 && hosts != 1)
      return Framing{400, "malformed_request",
                     hosts == 0 ? "An HTTP/1.1 request must carry a Host header"
                                : "The request carries more than one Host header"};
    std::vector<std::string> codings;
    bool has_te = false;
    for (const auto& f : msg) {
      if (f.name() != bhttp::field::transfer_encoding) continue;
      has_te = true;
      // Split by hand rather than with Beast's ext_list: that one stops silently at the first
      // malformed element, so "chunked, gz\xff" would read as plain chunked. Here every element
      // counts, and one that is not a known coding is refused.
      std::string_view v = f.value();
      size_t i = 0;
      while (i <= v.size()) {
        size_t comma = v.find(',', i);
        if (comma == std::string_view::npos) comma = v.size();
        std::string_view item = v.substr(i, comma - i);
        if (auto semi = item.find(';'); semi != std::string_view::npos) item = item.substr(0, semi);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        std::string c(item);
        for (char& ch : c) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (!c.empty()) codings.push_back(std::move(c));
        i = comma + 1;
      }
    }
    if (!has_te) return std::nullopt;
    const std::string bad = "The request's Transfer-Encoding makes its length ambiguous";
    if (msg.version() < 11) return Framing{400, "malformed_request", "Transfer-Encoding is not allowed in HTTP/1.0"};
    if (msg.find(bhttp::field::content_length) != msg.end())
      return Framing{400, "malformed_request", "A request must not carry both Transfer-Encoding and Content-Length"};
    static const std::set<std::string> known = {"chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress"};
    for (const auto& c : codings)
      if (!known.count(c)) return Framing{501, "not_implemented", "Unknown transfer coding: " + c};
    if (codings.empty() || codings.back() != "chunked")
      return Framing{400, "malformed_request", bad + ": chunked must be the final coding"};
    if (std::count(codings.begin(), codings.end(), "chunked") != 1)
      return Framing{400, "malformed_request", bad + ": chunked may be applied only once"};
    if (codings.size() > 1) return Framing{501, "not_implemented", "Only the chunked transfer coding is supported"};
    return std::nullopt;
  }

  // Malformed or oversized input: answer once, then close (the stream position is lost).
  void reject(const beast::error_code& ec) {
    int status = ec == bhttp::error::body_limit ? 413 : (ec == bhttp::error::header_limit ? 431 : 400);
    std::string code =
        status == 413 ? "payload_too_large" : (status == 431 ? "headers_too_large" : "malformed_request");
    std::string message =
        status == 413   ? "The request body is larger than " + std::to_string(server_.options.body_limit) + " bytes"
        : status == 431 ? "The request headers are larger than 16 KiB"
                        : "The HTTP request could not be parsed";
    refuse(status, code, message);
  }

  void refuse(int status, const std::string& code, const std::string& message) {
    busy_ = true;
    bhttp::response<bhttp::string_body> res;
    Response r = server_.error_page(status, code, message);
    repair_text(r);
    fill(res, r, 11);
    send(std::move(res), false);
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (is_quiet_end(ec)) return finish();
    if (ec) return reject(ec);
    busy_ = true;
    // The read timeout is for the client; the time the handler takes is bounded elsewhere (the
    // statement timeout), so the clock stops here and starts again for writing the answer.
    stream_.expires_never();
    bhttp::response<bhttp::string_body> res;
    auto& msg = parser_->get();
    bool keep_alive = msg.keep_alive() && !server_.draining;
    Request req = to_request(msg, remote_ip_);
    ++server_.in_flight;
    Response r;
    try {
      r = server_.app(req);
    } catch (...) {
      r = server_.error_page(500, "internal_error", "Internal error");
    }
    --server_.in_flight;
    repair_text(r);
    // After the repair, which must see the text itself: a compressed body is bytes.
    try {
      compress_response(r, req, server_.options.compress_min_bytes);
    } catch (const std::exception&) {
      // zlib out of memory: the answer goes out uncompressed, which is always acceptable.
    }
    fill(res, r, msg.version());
    bool head = msg.method() == bhttp::verb::head;
    send(std::move(res), keep_alive, head);
  }

  void send(bhttp::response<bhttp::string_body>&& res, bool keep_alive, bool head = false) {
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (!keep_alive) res.set(bhttp::field::connection, "close");
    auto sp = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(res));
    response_ = sp;
    // A client that stops reading the answer for this long is dropped.
    stream_.expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    if (head) {
      // Write the header only: the Content-Length it announces is the body a GET would get.
      auto sr = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*sp);
      bhttp::async_write_header(stream_, *sr,
                                [self = shared_from_this(), sp, sr, keep_alive](beast::error_code wec, std::size_t) {
                                  self->after_write(wec, keep_alive);
                                });
      return;
    }
    bhttp::async_write(stream_, *sp, [self = shared_from_this(), sp, keep_alive](beast::error_code wec, std::size_t) {
      self->after_write(wec, keep_alive);
    });
  }

  void after_write(beast::error_code wec, bool keep_alive) {
    response_.reset();
    if (wec) return finish();
    if (!keep_alive) return linger_close();
    read();
  }

  // Closes in stages (RFC 9112 section 9.6): the answer is written, the write side shut down,
  // and what the client still sends (the rest of an oversized body, say) is read and dropped
  // until it closes or a few seconds pass. Closing with unread input would make the kernel
  // send a reset, and a client still writing its body would lose the answer.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return finish();
    stream_.expires_never();
    idle_timer_.expires_after(server_.draining ? std::chrono::seconds(1) : std::chrono::seconds(5));
    idle_timer_.async_wait([self = shared_from_this()](beast::error_code tec) {
      if (tec) return;
      beast::error_code ig;
      self->stream_.socket().close(ig);
    });
    discard();
  }

  void discard() {
    stream_.socket().async_read_some(asio::buffer(discard_buf_),
                                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                       if (ec) {
                                         self->idle_timer_.cancel();
                                         return self->finish();
                                       }
                                       self->discard();
                                     });
  }

  // Every text body leaves valid UTF-8, whatever produced it: bytes echoed from the request
  // (a bad parameter name, a transfer coding) become U+FFFD. JSON's own syntax is ASCII, so a
  // repaired JSON document stays well-formed. A body with a Content-Encoding (a precompressed
  // file) is coded bytes, not text, and is left alone.
  static void repair_text(Response& r) {
    for (const auto& [k, v] : r.headers)
      if (k.size() == 16 && fold_ascii(k) == "content-encoding") return;
    bool text = r.content_type.rfind("text/", 0) == 0 ||
                (r.content_type.rfind("application/", 0) == 0 && r.content_type.find("json") != std::string::npos);
    if (text && !is_valid_utf8(r.body)) r.body = to_valid_utf8(r.body);
  }

  static std::string fold_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  static void fill(bhttp::response<bhttp::string_body>& res, Response& r, unsigned version) {
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    res.set(bhttp::field::server, "keel");
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res.insert(k, v);
    res.body() = std::move(r.body);
  }

  void finish() {
    beast::error_code ec;
    stream_.socket().close(ec);
    server_.remove(shared_from_this());
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<void> response_;
  std::array<char, 16 * 1024> discard_buf_{};
  std::string remote_ip_;
  bool busy_ = false;
  bool waiting_ = false;  // between requests, waiting for the socket to become readable
  asio::steady_timer idle_timer_;
};

}  // namespace

void Server::Impl::adopt(tcp::socket socket) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto s = std::make_shared<Session>(std::move(socket), *this);
  {
    std::lock_guard lock(sessions_mu);
    sessions.insert(s);
  }
  s->start();
}

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      // e.g. EMFILE: keep serving the connections we have, and try again shortly rather than
      // spinning on an error that persists until some connection closes.
      auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(100));
      timer->async_wait([this, timer](beast::error_code) { accept(); });
      return;
    }
    adopt(std::move(socket));
    accept();
  });
}

Server::Server(ServerOptions options, App app, ErrorPage error_page)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(app), std::move(error_page))) {}

Server::~Server() = default;

uint16_t Server::listen() {
  auto address = asio::ip::make_address(impl_->options.host);
  tcp::endpoint ep{address, impl_->options.port};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  impl_->accept();
  std::vector<std::thread> threads;
  int n = std::max(1, impl_->options.threads);
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  if (impl_->draining.exchange(true)) return;
  asio::post(impl_->ioc, [this] {
    // Connections the kernel completed but we had no free thread to accept yet are clients
    // that already sent their request: take them in (they are answered and closed like the
    // others) instead of resetting them by closing the listener under them.
    beast::error_code ec;
    impl_->acceptor.non_blocking(true, ec);
    for (;;) {
      tcp::socket socket(asio::make_strand(impl_->ioc));
      impl_->acceptor.accept(socket, ec);
      if (ec) break;
      impl_->adopt(std::move(socket));
    }
    impl_->acceptor.close(ec);
  });
  // Close idle keep-alive connections now; busy ones close after their response.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(impl_->options.drain_timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(impl_->sessions_mu);
      live.assign(impl_->sessions.begin(), impl_->sessions.end());
    }
    if (live.empty() && impl_->in_flight == 0) break;
    for (auto& s : live) s->close_if_idle();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->ioc.stop();
}

int64_t Server::in_flight() const { return impl_->in_flight; }

}  // namespace keel::http
