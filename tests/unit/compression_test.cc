// The content-coding contract (http/compression.h): Accept-Encoding negotiation with q-values,
// gzip round trips, and when an answer is compressed.
#include "http/compression.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace keel::http {
namespace {

Coding pick(const char* header,
            std::initializer_list<Coding> available = {Coding::br, Coding::gzip, Coding::identity}) {
  std::string h = header ? header : "";
  AcceptEncoding a(header ? &h : nullptr);
  return choose_coding(a, std::span<const Coding>(available.begin(), available.size()));
}

TEST(AcceptEncoding, NoHeaderMeansIdentityOnly) {
  AcceptEncoding a(nullptr);
  EXPECT_EQ(a.q(Coding::identity), 1.0);
  EXPECT_EQ(a.q(Coding::gzip), 0.0);
  EXPECT_EQ(a.q(Coding::br), 0.0);
  EXPECT_EQ(pick(nullptr), Coding::identity);
}

TEST(AcceptEncoding, EmptyHeaderAcceptsOnlyIdentity) {
  EXPECT_EQ(pick(""), Coding::identity);
  std::string e;
  EXPECT_EQ(AcceptEncoding(&e).q(Coding::gzip), 0.0);
}

TEST(AcceptEncoding, BrowserDefaultPrefersBrotliThenGzip) {
  EXPECT_EQ(pick("gzip, deflate, br, zstd"), Coding::br);
  EXPECT_EQ(pick("gzip, deflate, br, zstd", {Coding::gzip, Coding::identity}), Coding::gzip);
  EXPECT_EQ(pick("gzip, deflate"), Coding::gzip);
  EXPECT_EQ(pick("deflate"), Coding::identity);
}

TEST(AcceptEncoding, QValuesDecide) {
  EXPECT_EQ(pick("br;q=0.5, gzip;q=0.8"), Coding::gzip);
  EXPECT_EQ(pick("br;q=0.8, gzip;q=0.8"), Coding::br) << "a tie goes to the server's preference";
  EXPECT_EQ(pick("br;q=0, gzip"), Coding::gzip);
  EXPECT_EQ(pick("gzip;q=0.2, identity;q=0.5"), Coding::identity);
  EXPECT_EQ(pick("br ; Q=0.9 , GZIP;q=1.0"), Coding::gzip) << "case and spaces";
  EXPECT_EQ(pick("x-gzip"), Coding::gzip);
  EXPECT_EQ(pick("gzip;q=0.001"), Coding::gzip) << "identity by default ranks below any named coding";
  EXPECT_EQ(pick("identity, gzip;q=0.5"), Coding::identity) << "a named identity competes on q";
}

TEST(AcceptEncoding, StarCoversWhatIsNotNamed) {
  EXPECT_EQ(pick("*"), Coding::br);
  EXPECT_EQ(pick("*;q=0.5, br;q=0.1"), Coding::gzip);
  std::string h = "*;q=0";
  AcceptEncoding a(&h);
  EXPECT_EQ(a.q(Coding::identity), 0.0) << "*;q=0 refuses identity too";
  EXPECT_EQ(a.q(Coding::gzip), 0.0);
  h = "*;q=0, identity";
  EXPECT_EQ(AcceptEncoding(&h).q(Coding::identity), 1.0) << "a named coding beats *";
}

TEST(AcceptEncoding, IdentityRefused) {
  EXPECT_EQ(pick("identity;q=0, gzip"), Coding::gzip);
  EXPECT_EQ(pick("identity;q=0, gzip;q=0.1", {Coding::gzip, Coding::identity}), Coding::gzip);
  // Nothing acceptable is available: an uncoded answer rather than 406 (RFC 9110 allows it).
  EXPECT_EQ(pick("identity;q=0, zstd"), Coding::identity);
  EXPECT_EQ(pick("identity;q=0", {Coding::identity}), Coding::identity);
}

TEST(AcceptEncoding, MalformedElementsAreIgnoredAndQIsClamped) {
  EXPECT_EQ(pick("br;q=abc, gzip"), Coding::gzip) << "an element whose q does not parse is dropped";
  EXPECT_EQ(pick(",,, gzip ,"), Coding::gzip);
  std::string h = "gzip;q=7";
  EXPECT_EQ(AcceptEncoding(&h).q(Coding::gzip), 1.0);
  h = "gzip;q=-1";
  EXPECT_EQ(AcceptEncoding(&h).q(Coding::gzip), 0.0);
  h = "gzip;level=9;q=0.3";
  EXPECT_DOUBLE_EQ(AcceptEncoding(&h).q(Coding::gzip), 0.3);
}

TEST(ListElements, SplitsTrimsAndDropsEmpties) {
  auto v = list_elements(" a, b ;q=1 ,, \tc\t,");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "a");
  EXPECT_EQ(v[1], "b ;q=1");
  EXPECT_EQ(v[2], "c");
  EXPECT_TRUE(list_elements("").empty());
  EXPECT_EQ(list_elements("q=0.5; x=1", ';').size(), 2u);
}

TEST(Gzip, RoundTripsAndShrinksText) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += R"({"id":")" + std::to_string(i) + R"(","name":"王小明 Müller"},)";
  std::string z = gzip(text);
  EXPECT_LT(z.size(), text.size() / 5);
  ASSERT_GE(z.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f) << "gzip magic";
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  auto back = gunzip(z);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, text);
  EXPECT_EQ(gunzip(gzip("")).value_or("x"), "");
}

TEST(Gzip, GunzipRejectsTruncatedOrForeignData) {
  std::string z = gzip(std::string(10000, 'a') + "tail");
  EXPECT_FALSE(gunzip(z.substr(0, z.size() - 4)));
  EXPECT_FALSE(gunzip("not gzip at all"));
  EXPECT_FALSE(gunzip(z + "trailing"));
}

TEST(CompressibleType, TextAndJsonYesBinaryNo) {
  for (const char* t :
       {"application/json", "application/problem+json", "text/html; charset=utf-8", "text/csv",
        "text/javascript; charset=utf-8", "image/svg+xml", "application/manifest+json", "Application/JSON"})
    EXPECT_TRUE(compressible_type(t)) << t;
  for (const char* t : {"image/png", "font/woff2", "application/octet-stream", "application/gzip", "application/zip",
                        "image/x-icon", ""})
    EXPECT_FALSE(compressible_type(t)) << t;
}

struct Exchange {
  Request req;
  Response res;
};

Exchange json_exchange(size_t body_size, const char* accept = "gzip, deflate, br", const char* method = "GET") {
  Exchange e;
  e.req.method = method;
  if (accept) e.req.headers["accept-encoding"] = accept;
  e.res.status = 200;
  e.res.body = "[";
  while (e.res.body.size() + 1 < body_size) e.res.body += "1";
  e.res.body += "]";
  e.res.body.resize(body_size);
  return e;
}

const std::string* header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return &v;
  return nullptr;
}

TEST(CompressResponse, AtOrAboveTheThresholdWhenGzipIsAccepted) {
  auto e = json_exchange(kCompressMinBytes);
  std::string original = e.res.body;
  EXPECT_TRUE(compress_response(e.res, e.req));
  ASSERT_TRUE(header(e.res, "Content-Encoding"));
  EXPECT_EQ(*header(e.res, "Content-Encoding"), "gzip");
  EXPECT_EQ(*header(e.res, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gunzip(e.res.body).value_or(""), original);
  EXPECT_EQ(e.res.content_type, "application/json") << "the type stays the representation's";
}

TEST(CompressResponse, BelowTheThresholdPlainButVaried) {
  auto e = json_exchange(kCompressMinBytes - 1);
  EXPECT_FALSE(compress_response(e.res, e.req));
  EXPECT_FALSE(header(e.res, "Content-Encoding"));
  ASSERT_TRUE(header(e.res, "Vary"));
  EXPECT_EQ(e.res.body.size(), kCompressMinBytes - 1);
}

TEST(CompressResponse, SmallAnswerCompressedWhenIdentityIsRefused) {
  auto e = json_exchange(10, "identity;q=0, gzip");
  EXPECT_TRUE(compress_response(e.res, e.req));
  EXPECT_EQ(gunzip(e.res.body).value_or(""), "[11111111]");
}

TEST(CompressResponse, NotWhenTheClientDoesNotAcceptGzip) {
  for (const char* accept : {static_cast<const char*>(nullptr), "br", "gzip;q=0", "identity", "deflate"}) {
    auto e = json_exchange(5000, accept);
    EXPECT_FALSE(compress_response(e.res, e.req)) << (accept ? accept : "(none)");
    EXPECT_TRUE(header(e.res, "Vary")) << "the answer still varies by Accept-Encoding";
  }
  auto pref = json_exchange(5000, "gzip;q=0.1, identity;q=0.9");
  EXPECT_FALSE(compress_response(pref.res, pref.req)) << "identity preferred";
}

TEST(CompressResponse, NeverForNoContentNotModifiedHeadOrCodedBodies) {
  for (int status : {204, 304, 101}) {
    auto e = json_exchange(5000);
    e.res.status = status;
    EXPECT_FALSE(compress_response(e.res, e.req)) << status;
    EXPECT_FALSE(header(e.res, "Content-Encoding")) << status;
  }
  auto head = json_exchange(5000, "gzip", "HEAD");
  EXPECT_FALSE(compress_response(head.res, head.req));
  EXPECT_TRUE(header(head.res, "Vary"));
  EXPECT_EQ(head.res.body.size(), 5000u);

  auto coded = json_exchange(5000);
  coded.res.content_type = "text/javascript";
  coded.res.set_header("Content-Encoding", "br");
  std::string before = coded.res.body;
  EXPECT_FALSE(compress_response(coded.res, coded.req));
  EXPECT_EQ(coded.res.body, before);
}

TEST(CompressResponse, NotForAlreadyCompressedTypes) {
  for (const char* type : {"image/png", "application/gzip", "font/woff2", "application/octet-stream"}) {
    auto e = json_exchange(5000);
    e.res.content_type = type;
    EXPECT_FALSE(compress_response(e.res, e.req)) << type;
    EXPECT_FALSE(header(e.res, "Vary")) << type;
  }
}

TEST(CompressResponse, ErrorAnswersAndCsvAreCompressedToo) {
  auto e = json_exchange(5000);
  e.res.status = 422;
  e.res.content_type = "application/problem+json";
  EXPECT_TRUE(compress_response(e.res, e.req));
  auto csv = json_exchange(5000);
  csv.res.content_type = "text/csv; charset=utf-8";
  EXPECT_TRUE(compress_response(csv.res, csv.req));
}

TEST(CompressResponse, VaryIsMergedNotDuplicated) {
  auto e = json_exchange(5000);
  e.res.set_header("Vary", "Origin");
  compress_response(e.res, e.req);
  int varies = 0;
  for (const auto& [k, v] : e.res.headers) varies += k == "Vary";
  EXPECT_EQ(varies, 1);
  EXPECT_EQ(*header(e.res, "Vary"), "Origin, Accept-Encoding");
  auto twice = json_exchange(5000);
  twice.res.set_header("vary", "accept-encoding");
  compress_response(twice.res, twice.req);
  EXPECT_EQ(*header(twice.res, "vary"), "accept-encoding");
}

TEST(CompressResponse, ThresholdIsAParameter) {
  auto e = json_exchange(200);
  EXPECT_TRUE(compress_response(e.res, e.req, 100));
  auto f = json_exchange(200);
  EXPECT_FALSE(compress_response(f.res, f.req, 201));
}

}  // namespace
}  // namespace keel::http
