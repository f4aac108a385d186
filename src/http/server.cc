#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

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
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Session>> sessions;  // live connections, to close idle ones on stop

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
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::bad_descriptor) {
      return finish();
    }
    busy_ = true;
    bhttp::response<bhttp::string_body> res;
    bool keep_alive = false;
    if (ec) {
      // Malformed or oversized input: answer once, then close (the stream position is lost).
      int status = ec == bhttp::error::body_limit ? 413 : (ec == bhttp::error::header_limit ? 431 : 400);
      std::string code = status == 413 ? "payload_too_large" : (status == 431 ? "headers_too_large" : "malformed_request");
      std::string message = status == 413 ? "The request body is larger than " +
                                                std::to_string(server_.options.body_limit) + " bytes"
                                          : "The HTTP request could not be parsed";
      Response r = server_.error_page(status, code, message);
      fill(res, r, 11);
    } else {
      auto& msg = parser_->get();
      keep_alive = msg.keep_alive() && !server_.draining;
      Request req = to_request(msg, remote_ip_);
      ++server_.in_flight;
      Response r;
      try {
        r = server_.app(req);
      } catch (...) {
        r = server_.error_page(500, "internal_error", "Internal error");
      }
      --server_.in_flight;
      fill(res, r, msg.version());
      if (msg.method() == bhttp::verb::head) res.body().clear();
    }
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (ec || !keep_alive) res.set(bhttp::field::connection, "close");
    auto sp = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(res));
    response_ = sp;
    bhttp::async_write(stream_, *sp,
                       [self = shared_from_this(), sp, close = !keep_alive](beast::error_code wec, std::size_t) {
                         self->response_.reset();
                         if (wec || close) {
                           beast::error_code ig;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ig);
                           return self->finish();
                         }
                         self->read();
                       });
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
