#include "vt/http/server.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <sstream>
#include <thread>

#include "testing/test_client.hpp"
#include "vt/testing.hpp"

namespace vt::http {
namespace {

using namespace std::chrono_literals;
using testing::Fetch;
using testing::Gunzip;
using testing::RawClient;

std::string BigPage() {
    std::string s = "<!doctype html><title>Catálogo</title><ul>";
    for (int i = 0; i < 500; ++i) s += "<li><a href=\"/tramites/" + std::to_string(i) + "\">Trámite</a></li>";
    return s;
}

class ServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        core::InitCrypto();
        router_.Add("GET", "/hola/{nombre}", [](const Request& r) {
            return Json(boost::json::object{{"saludo", "Hola, " + std::string(r.Param("nombre"))},
                                            {"q", r.QueryParam("q").value_or("")}});
        });
        router_.Add("GET", "/rapido", [](const Request&) { return Text("ok"); }, {.inline_handler = true});
        router_.Add("POST", "/eco", [](const Request& r) { return Text(std::string(r.body)); },
                    {.accepts = {"application/json"}});
        router_.Add("GET", "/lento", [](const Request&) {
            std::this_thread::sleep_for(400ms);
            return Text("terminado");
        });
        router_.Add("GET", "/falla", [](const Request&) -> Response { throw std::runtime_error("bug"); });
        router_.Add("GET", "/pagina", [](const Request&) { return Text(BigPage(), 200, "text/html; charset=utf-8"); });
        router_.Add("GET", "/pagina-rapida", [](const Request&) { return Text(BigPage(), 200, "text/html"); },
                    {.inline_handler = true});
        auto css = std::make_shared<const std::string>(BigPage());
        auto css_gzip = std::make_shared<const std::string>(Gzip(*css));
        router_.Add("GET", "/estilo.css", [css, css_gzip](const Request&) {
            Response r = Text("", 200, "text/css");
            r.shared_body = css;
            r.shared_gzip_body = css_gzip;
            return r;
        }, {.inline_handler = true});
        router_.Add("GET", "/constancia.pdf", [](const Request&) {
            return Text(BigPage(), 200, "application/pdf");  // compressible bytes, but a PDF
        });
        router_.Add("GET", "/error", [](const Request&) {
            return ErrorResponse(Error::Invalid("Revise los datos.", {{"cui", "El CUI no es válido."}}));
        });
    }
    void TearDown() override { StopServer(); }

    void StartServer(ServerOptions o = {}) {
        o.port = 0;
        o.io_threads = 2;
        o.worker_threads = 4;
        auto null_log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
        access_ = std::make_shared<spdlog::logger>(
            "access", std::make_shared<spdlog::sinks::ostream_sink_mt>(access_lines_));
        access_->set_pattern("%v");
        server_ = std::make_unique<Server>(o, router_, metrics_, null_log, access_);
        port_ = server_->port();
        thread_ = std::thread([this] { server_->Run(false); });
    }
    void StopServer() {
        if (!server_) return;
        server_->Stop();
        thread_.join();
        server_.reset();
    }

    Router router_;
    Metrics metrics_{"test", "none"};
    std::ostringstream access_lines_;
    std::shared_ptr<spdlog::logger> access_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

TEST_F(ServerTest, RoutesWithPathAndQueryParameters) {
    StartServer();
    auto r = Fetch(port_, "GET", "/hola/Mar%C3%ADa?q=a+b%21");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["content-type"], "application/json");
    auto body = boost::json::parse(r->body);
    EXPECT_EQ(body.at("saludo").as_string(), "Hola, Mar%C3%ADa");  // path params stay raw
    EXPECT_EQ(body.at("q").as_string(), "a b!");
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
    StartServer();
    auto r = Fetch(port_, "GET", "/no-existe");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    auto err = boost::json::parse(r->body).at("error");
    EXPECT_EQ(err.at("code").as_string(), "not-found");
    EXPECT_TRUE(err.at("fields").is_object());

    r = Fetch(port_, "DELETE", "/hola/x");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->headers["allow"], "GET, HEAD");
}

TEST_F(ServerTest, ErrorFormatCarriesFieldMessages) {
    StartServer();
    auto r = Fetch(port_, "GET", "/error");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    auto err = boost::json::parse(r->body).at("error");
    EXPECT_EQ(err.at("fields").at("cui").as_string(), "El CUI no es válido.");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    StartServer();
    RawClient c(port_);
    ASSERT_TRUE(c.connected());
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(c.Send("GET /rapido HTTP/1.1\r\nHost: x\r\n\r\n"));
        auto r = c.Read();
        ASSERT_TRUE(r) << i;
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, "ok");
    }
    // Pipelined requests are answered in order.
    ASSERT_TRUE(c.Send("GET /hola/a HTTP/1.1\r\nHost: x\r\n\r\nGET /hola/b HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto a = c.Read(), b = c.Read();
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->body.find("Hola, a"), std::string::npos);
    EXPECT_NE(b->body.find("Hola, b"), std::string::npos);
}

TEST_F(ServerTest, HeadReturnsHeadersOnly) {
    StartServer();
    RawClient c(port_);
    c.ExpectHeadOnly(true);
    ASSERT_TRUE(c.Send("HEAD /rapido HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["content-length"], "2");
    EXPECT_TRUE(r->body.empty());
}

TEST_F(ServerTest, TextGoesOutGzippedToClientsThatAcceptIt) {
    StartServer();
    for (std::string path : {"/pagina", "/pagina-rapida", "/estilo.css"}) {
        RawClient c(port_);
        ASSERT_TRUE(c.Send("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"));
        auto r = c.Read();
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->headers["content-encoding"], "gzip") << path;
        EXPECT_EQ(r->headers["vary"], "Accept-Encoding");
        EXPECT_EQ(std::stoul(r->headers["content-length"]), r->body.size());
        EXPECT_LT(r->body.size(), BigPage().size() / 4);
        EXPECT_EQ(Gunzip(r->body), BigPage()) << path;

        // HEAD announces the length GET would send.
        c.ExpectHeadOnly(true);
        ASSERT_TRUE(c.Send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"));
        auto h = c.Read();
        ASSERT_TRUE(h);
        EXPECT_EQ(h->headers["content-encoding"], "gzip");
        EXPECT_EQ(std::stoul(h->headers["content-length"]), r->body.size());
    }
}

TEST_F(ServerTest, ClientsWithoutGzipGetThePlainBytes) {
    StartServer();
    for (std::string accept : {"", "Accept-Encoding: identity\r\n", "Accept-Encoding: gzip;q=0, br\r\n"}) {
        RawClient c(port_);
        ASSERT_TRUE(c.Send("GET /pagina HTTP/1.1\r\nHost: x\r\n" + accept + "\r\n"));
        auto r = c.Read();
        ASSERT_TRUE(r) << accept;
        EXPECT_EQ(r->headers.count("content-encoding"), 0u) << accept;
        EXPECT_EQ(r->headers["vary"], "Accept-Encoding");
        EXPECT_EQ(r->body, BigPage());
    }
}

TEST_F(ServerTest, PdfAndSmallBodiesAreNeverCompressed) {
    StartServer();
    for (std::string path : {"/constancia.pdf", "/rapido", "/no-existe"}) {
        RawClient c(port_);
        ASSERT_TRUE(c.Send("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"));
        auto r = c.Read();
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->headers.count("content-encoding"), 0u) << path;
        EXPECT_EQ(r->headers.count("vary"), 0u) << path;
    }
    auto pdf = Fetch(port_, "GET", "/constancia.pdf");
    ASSERT_TRUE(pdf);
    EXPECT_EQ(pdf->body, BigPage());
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
    StartServer();
    RawClient c(port_);
    ASSERT_TRUE(c.Send("GET /rapido HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->headers["x-request-id"], "abc-123");
    ASSERT_TRUE(c.Send("GET /rapido HTTP/1.1\r\nHost: x\r\nX-Request-Id: <mal>\r\n\r\n"));
    r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_NE(r->headers["x-request-id"], "<mal>");
    EXPECT_FALSE(r->headers["x-request-id"].empty());
}

TEST_F(ServerTest, OversizedBodyIs413) {
    ServerOptions o;
    o.max_body_bytes = 1000;
    StartServer(o);
    auto r = Fetch(port_, "POST", "/eco", std::string(5000, 'x'), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(boost::json::parse(r->body).at("error").at("code").as_string(), "body-too-large");
    r = Fetch(port_, "POST", "/eco", "{}", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, ARouteMayAcceptALargerBodyThanTheDefault) {
    router_.Add("POST", "/subir", [](const Request& r) { return Text(std::to_string(r.body.size())); },
                {.max_body_bytes = 8000});
    ServerOptions o;
    o.max_body_bytes = 1000;
    StartServer(o);
    auto r = Fetch(port_, "POST", "/subir", std::string(5000, 'x'), "application/octet-stream");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "5000");
    r = Fetch(port_, "POST", "/subir", std::string(9000, 'x'), "application/octet-stream");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("8000 bytes"), std::string::npos) << r->body;
    // Every other route keeps the server's limit.
    r = Fetch(port_, "POST", "/eco", std::string(5000, 'x'), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("1000 bytes"), std::string::npos) << r->body;
}

TEST_F(ServerTest, AClientThatExpectsContinueIsToldToSendItsBody) {
    router_.Add("POST", "/subir", [](const Request& r) { return Text(std::to_string(r.body.size())); },
                {.max_body_bytes = 8000});
    StartServer();
    RawClient c(port_);
    ASSERT_TRUE(c.Send("POST /subir HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n"
                       "Expect: 100-continue\r\n\r\n"));
    auto go_on = c.Read();
    ASSERT_TRUE(go_on);
    EXPECT_EQ(go_on->status, 100);
    ASSERT_TRUE(c.Send(std::string(3000, 'x')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "3000");

    // Too large: refused at once, without reading the body.
    RawClient big(port_);
    ASSERT_TRUE(big.Send("POST /subir HTTP/1.1\r\nHost: x\r\nContent-Length: 9000\r\n"
                         "Expect: 100-continue\r\n\r\n"));
    r = big.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
    ServerOptions o;
    o.max_header_bytes = 2048;
    StartServer(o);
    RawClient c(port_);
    ASSERT_TRUE(c.Send("GET /rapido HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_TRUE(c.ClosedWithin(2s));
}

TEST_F(ServerTest, MalformedRequestIs400) {
    StartServer();
    for (std::string bad : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /rapido HTTP/1.1\r\nHost x\r\n\r\n",
                            "POST /eco HTTP/1.1\r\nContent-Length: zz\r\n\r\n"}) {
        RawClient c(port_);
        ASSERT_TRUE(c.Send(bad));
        auto r = c.Read();
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->status, 400) << bad;
        EXPECT_EQ(boost::json::parse(r->body).at("error").at("code").as_string(), "malformed-request");
    }
}

TEST_F(ServerTest, WrongContentTypeIs415) {
    StartServer();
    auto r = Fetch(port_, "POST", "/eco", "a=b", "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 415);
    EXPECT_EQ(boost::json::parse(r->body).at("error").at("code").as_string(), "unsupported-media-type");
    r = Fetch(port_, "POST", "/eco", "{}", "application/json; charset=utf-8");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, SlowClientIsCutOff) {
    ServerOptions o;
    o.read_timeout = 300ms;
    StartServer(o);
    RawClient c(port_);
    ASSERT_TRUE(c.Send("GET /rapido HTTP/1.1\r\nHost: x\r\n"));  // never finishes the headers
    EXPECT_TRUE(c.ClosedWithin(3s));
    // The server still answers others.
    auto r = Fetch(port_, "GET", "/rapido");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, ALargeBodyMayTakeLongerThanTheReadTimeout) {
    ServerOptions o;
    o.read_timeout = 300ms;
    o.min_body_rate = 100;  // 3000 bytes may take 30 s more
    StartServer(o);
    RawClient c(port_);
    ASSERT_TRUE(c.Send("POST /eco HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 3000\r\n\r\n" + std::string(1000, ' ')));
    std::this_thread::sleep_for(900ms);  // three read timeouts
    ASSERT_TRUE(c.Send(std::string(2000, ' ')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.size(), 3000u);
}

TEST_F(ServerTest, ThrowingHandlerFailsOnlyItsRequest) {
    StartServer();
    auto r = Fetch(port_, "GET", "/falla");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(boost::json::parse(r->body).at("error").at("code").as_string(), "internal");
    r = Fetch(port_, "GET", "/rapido");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, ShutdownLetsInFlightRequestsFinish) {
    StartServer();
    RawClient busy(port_);
    RawClient idle(port_);
    ASSERT_TRUE(idle.Send("GET /rapido HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(idle.Read());
    ASSERT_TRUE(busy.Send("GET /lento HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(100ms);  // the slow handler is now running
    server_->Stop();
    auto r = busy.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "terminado");
    EXPECT_EQ(r->headers["connection"], "close");
    EXPECT_TRUE(idle.ClosedWithin(2s));
    thread_.join();
    server_.reset();
}

TEST_F(ServerTest, MetricsAndAccessLogRecordEachRequest) {
    StartServer();
    ASSERT_TRUE(Fetch(port_, "GET", "/hola/x"));
    ASSERT_TRUE(Fetch(port_, "GET", "/nada"));
    StopServer();
    std::string text = metrics_.Render();
    EXPECT_NE(text.find(R"(ventanilla_http_requests_total{method="GET",route="/hola/{nombre}",status="200"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(route="unmatched",status="404"} 1)"), std::string::npos);
    EXPECT_NE(text.find("ventanilla_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(text.find(R"(ventanilla_build_info{commit="none",version="test"} 1)"), std::string::npos);

    // A line is written once its response is sent, so the two requests' lines may come in
    // either order.
    std::istringstream lines(access_lines_.str());
    std::string text_line;
    int found = 0;
    while (std::getline(lines, text_line)) {
        auto line = boost::json::parse(text_line);
        if (line.at("route").as_string() != "/hola/{nombre}") continue;
        ++found;
        EXPECT_EQ(line.at("status").as_int64(), 200);
        EXPECT_FALSE(line.at("id").as_string().empty());
    }
    EXPECT_EQ(found, 1) << access_lines_.str();
}

TEST(Router, FindsParametersAndAllows) {
    Router r;
    r.Add("GET", "/a/{x}/b", [](const Request&) { return Text(""); });
    r.Add("POST", "/a/{x}/b", [](const Request&) { return Text(""); });
    auto m = r.Find("GET", "/a/42/b");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.params.at(0).second, "42");
    EXPECT_FALSE(r.Find("GET", "/a//b").route);
    auto d = r.Find("DELETE", "/a/1/b");
    EXPECT_FALSE(d.route);
    EXPECT_TRUE(d.path_known);
    EXPECT_EQ(d.allow, "GET, HEAD, POST");
}

TEST(PercentDecode, HandlesEscapesAndPlus) {
    EXPECT_EQ(PercentDecode("Pet%C3%A9n+Norte"), "Petén Norte");
    EXPECT_EQ(PercentDecode("100%"), "100%");
    EXPECT_EQ(PercentDecode("%zz"), "%zz");
}

}  // namespace
}  // namespace vt::http
