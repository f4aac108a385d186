// The HTTP/1.1 server: Boost.Beast over Asio with a pool of threads.
//
// It knows nothing about the CRM: it parses requests (with size limits and timeouts), hands each
// to one handler function, writes the response, and keeps connections alive. Handlers run on
// the I/O threads; they may block on the database, so the pool is larger than the core count.
// stop() drains: the listener closes, idle connections close, requests in flight finish.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/compression.h"
#include "http/message.h"

namespace keel::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 8;
  size_t body_limit = 1 << 20;     // larger bodies get 413
  int read_timeout_seconds = 30;   // a client that stalls mid-request is dropped
  int drain_timeout_seconds = 20;  // how long stop() waits for requests in flight
  // Compressible answers at least this large are gzip-compressed for clients that accept it
  // (http/compression.h).
  size_t compress_min_bytes = kCompressMinBytes;
};

class Server {
 public:
  using App = std::function<Response(Request&)>;
  // Called for protocol-level failures before a request reaches the app (413, 400).
  using ErrorPage = std::function<Response(int status, const std::string& code, const std::string& message)>;

  Server(ServerOptions options, App app, ErrorPage error_page);
  ~Server();

  // Binds and listens; returns the bound port. Throws if the address is taken.
  uint16_t listen();
  // Serves until stop() completes. Call after listen().
  void run();
  // Graceful stop; safe to call from a signal handler thread or any other thread.
  void stop();

  int64_t in_flight() const;

  struct Impl;  // opaque; public only so the connection class in server.cc can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::http
