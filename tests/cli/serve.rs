//! End-to-end tests of `werr serve` on the real binary: it binds, answers over TCP, serves
//! the same record as `werr show --json`, and exits cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Server {
        Server::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_werr"));
        command.args(["serve", "--addr", "127.0.0.1:0"]).args(extra);
        Server::spawn(command)
    }

    /// `werr serve` with at most `descriptors` open files (through the shell's ulimit).
    fn start_with_descriptors(descriptors: u32) -> Server {
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("ulimit -n {descriptors} && exec \"$0\" serve --addr 127.0.0.1:0"),
            env!("CARGO_BIN_EXE_werr"),
        ]);
        // Hundreds of connections would fill the stderr pipe with access lines no one reads.
        command.env("RUST_LOG", "warn");
        Server::spawn(command)
    }

    fn spawn(mut command: Command) -> Server {
        let mut child = command
            .env_remove("WERR_KB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("werr serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let addr = line
            .trim()
            .strip_prefix("werr: serving on http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// A GET over a fresh connection: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("reads");
        let status = response[9..12].parse().expect("status code");
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn terminate(&mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = self.child.wait().expect("exits");
        let mut log = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            err.read_to_string(&mut log).unwrap();
        }
        (status, log)
    }
}

impl Drop for Server {
    /// A failed assertion must not leave the server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_health_check_and_exits_cleanly_on_sigterm() {
    let mut server = Server::start();
    assert_eq!(server.get("/healthz"), (200, "ok".to_string()));
    let (status, log) = server.terminate();
    assert!(status.success(), "exit {status:?}; log:\n{log}");
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("path=/healthz"), "access log: {log}");
    assert!(log.contains("status=200"), "access log: {log}");
}

#[test]
fn symbols_route_answers_what_show_json_prints() {
    let mut server = Server::start();
    let (status, body) = server.get("/api/v1/symbols/E_ACCESSDENIED");
    assert_eq!(status, 200, "{body}");
    let served: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let show = Command::new(env!("CARGO_BIN_EXE_werr"))
        .args(["show", "E_ACCESSDENIED", "--json"])
        .env_remove("WERR_KB")
        .output()
        .expect("werr show runs");
    assert!(show.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&show.stdout).expect("JSON");
    assert_eq!(served, printed);
    server.terminate();
}

#[test]
fn decode_route_answers_what_decode_json_prints() {
    let mut server = Server::start();
    let (status, body) = server.get("/api/v1/decode/80001083");
    assert_eq!(status, 200, "{body}");
    let served: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let decode = Command::new(env!("CARGO_BIN_EXE_werr"))
        .args(["decode", "80001083", "--json"])
        .output()
        .expect("werr decode runs");
    let printed: serde_json::Value = serde_json::from_slice(&decode.stdout).expect("JSON");
    assert_eq!(served, printed);
    server.terminate();
}

#[test]
fn refuses_an_address_it_cannot_bind() {
    let mut server = Server::start();
    let out = Command::new(env!("CARGO_BIN_EXE_werr"))
        .args(["serve", "--addr", &server.addr])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot serve on {}", server.addr)),
        "{err}"
    );
    server.terminate();
}

#[test]
fn rejects_a_malformed_address() {
    let out = Command::new(env!("CARGO_BIN_EXE_werr"))
        .args(["serve", "--addr", "localhost:http"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn refuses_a_knowledge_base_file_that_does_not_exist() {
    let out = Command::new(env!("CARGO_BIN_EXE_werr"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--kb",
            "/nonexistent/werr.kb",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/werr.kb"), "{err}");
}

#[test]
fn serves_a_users_knowledge_base_file() {
    let dir = std::env::temp_dir().join(format!("werr-cli-serve-{}", std::process::id()));
    let tree = dir.join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(
        tree.join("myapperr.h"),
        "//\n// MessageId: MYAPP_E_BROKEN\n//\n// MessageText:\n//\n// The widget is <broken> & gone.\n//\n\
         #define MYAPP_E_BROKEN ((HRESULT)0x80040201L)\n",
    )
    .unwrap();
    let kb = dir.join("my.kb");
    let import = Command::new(env!("CARGO_BIN_EXE_werr"))
        .arg("import")
        .arg(&tree)
        .arg("--kb")
        .arg(&kb)
        .args(["--source", "myapp", "--version", "1"])
        .output()
        .expect("werr import runs");
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let mut server = Server::start_with(&["--kb", kb.to_str().unwrap()]);
    let (status, body) = server.get("/api/v1/symbols/MYAPP_E_BROKEN");
    assert_eq!(status, 200, "{body}");
    let record: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(record["value"]["hex"], "0x80040201");
    assert_eq!(record["defined_at"][0]["source"], "myapp");
    let (status, page) = server.get("/code/MYAPP_E_BROKEN");
    assert_eq!(status, 200);
    assert!(
        page.contains("The widget is &lt;broken&gt; &amp; gone."),
        "{page}"
    );
    server.terminate();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn requests_the_http_layer_rejects_are_in_the_access_log() {
    let mut server = Server::start();
    for raw in [
        "NOT A REQUEST\r\n\r\n".to_string(),
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)),
        format!(
            "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
            (0..200)
                .map(|i| format!("X-{i}: y\r\n"))
                .collect::<String>()
        ),
    ] {
        let mut stream = TcpStream::connect(&server.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(raw.as_bytes());
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
    assert_eq!(server.get("/healthz").0, 200);
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    for code in ["status=400", "status=414", "status=431"] {
        assert!(
            log.lines()
                .any(|l| l.contains("rejected") && l.contains(code)),
            "no {code} in the access log:\n{log}"
        );
    }
}

#[test]
fn idle_connections_past_the_descriptor_limit_do_not_stop_the_server() {
    // 300 idle connections to a server that may hold 256 descriptors: it serves fewer than
    // that at once, closes the idle ones after the header timeout, and answers the next.
    let server = Server::start_with_descriptors(256);
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&server.addr).expect("connects"))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = std::time::Instant::now();
    assert_eq!(server.get("/healthz"), (200, "ok".to_string()));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "answered after {:?}",
        started.elapsed()
    );
    drop(idle);
}

/// The lead of a `werr lookup --json` document: the leading names, whether an unnamed value's
/// readings are part of the answer, the values of the texts found.
fn cli_lead(doc: &serde_json::Value) -> (Vec<String>, bool, Vec<String>) {
    let names = doc["matches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["lead"] == true)
        .map(|m| m["name"].as_str().expect("a name").to_string())
        .collect();
    let texts = doc["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| match h["kind"].as_str() {
            Some("message") => h["id"].as_str().unwrap().to_string(),
            _ => h["value"]["hex"].as_str().unwrap_or("none").to_string(),
        })
        .collect();
    (names, !doc["unnamed"].is_null(), texts)
}

/// The same of an `/api/v1/lookup` answer.
fn api_lead(doc: &serde_json::Value) -> (Vec<String>, bool, Vec<String>) {
    let results = doc["results"].as_array().expect("results");
    let names = results
        .iter()
        .filter(|r| r["lead"] == true && r["matched"] != "decoding")
        .map(|r| r["name"].as_str().expect("a name").to_string())
        .collect();
    let unnamed = results
        .iter()
        .any(|r| r["lead"] == true && r["matched"] == "decoding");
    let texts = results
        .iter()
        .filter(|r| r["matched"] == "text")
        .map(|r| r["value"]["hex"].as_str().unwrap_or("none").to_string())
        .collect();
    (names, unnamed, texts)
}

#[test]
fn lookup_and_the_api_answer_a_query_with_the_same_lead() {
    let server = Server::start();
    let mut leads = Vec::new();
    for q in [
        "0x80070005",
        "5",
        "E_FAIL",
        "4624",
        "access denied",
        "0x7FFF1234",
        "ACCESS_DEN",
    ] {
        let printed = super::common::run_ok(&["lookup", "--json", "--limit", "20", q]);
        let docs: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
        let cli = cli_lead(&docs[0]);
        let (status, body) = server.get(&format!("/api/v1/lookup?q={}", q.replace(' ', "%20")));
        assert_eq!(status, 200, "{q}: {body}");
        let api = api_lead(&serde_json::from_str(&body).expect("JSON"));
        assert_eq!(cli, api, "{q}: the CLI's lead, then the API's");
        leads.push(cli);
    }
    // What the two agree on is the answer a user expects.
    assert_eq!(leads[0].0, ["E_ACCESSDENIED"]);
    assert!(leads[1].0.contains(&"ERROR_ACCESS_DENIED".to_string()));
    assert_eq!(leads[2].0, ["E_FAIL"]);
    assert!(
        !leads[4].2.is_empty(),
        "access denied: texts with the words"
    );
    assert!(leads[4].0.is_empty());
    assert!(leads[5].1, "0x7FFF1234: no source names it");
}
