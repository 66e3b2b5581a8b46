//! A thin W3C WebDriver client over reqwest, enough for the journeys: Debian's chromedriver
//! started on a free port, headless Chromium, pages opened, fields filled, buttons pressed,
//! axe-core run in the page, screenshots written. (thirtyfour's default features download a
//! driver; fantoccini brings its own TLS stack; the protocol is a few JSON calls.)

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver; stopped when dropped.
pub struct Driver {
    process: Child,
    url: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Driver {
    /// Starts `/usr/bin/chromedriver` (or `$CHROMEDRIVER`); fails loudly when there is none.
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("addr")
            .port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let process = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{binary} does not start ({e}): install chromium and chromium-driver")
            });
        let driver =
            Driver { process, url: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new() };
        for _ in 0..100 {
            if driver.http.get(format!("{}/status", driver.url)).send().await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not answer on port {port}");
    }

    /// A new headless browser with an empty profile, whose reader prefers `language`.
    pub async fn browser(&self, language: &str) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
            // A made-up camera that needs no permission prompt, for the camera scanning test.
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ];
        let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args, "prefs": {"intl.accept_languages": language}},
        }}});
        let res = self
            .http
            .post(format!("{}/session", self.url))
            .json(&capabilities)
            .send()
            .await
            .expect("session");
        let body: Value = res.json().await.expect("json");
        let id = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {body}"))
            .to_owned();
        Browser { base: format!("{}/session/{id}", self.url), http: self.http.clone(), _profile: profile }
    }
}

/// One browser window.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("webdriver call");
        let value: Value = res.json().await.expect("json");
        match value["value"].get("error") {
            Some(_) => Err(value["value"].clone()),
            None => Ok(value["value"].clone()),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let value = self.try_call(method, path.to_owned().as_str(), body).await;
        value.unwrap_or_else(|e| panic!("webdriver {path}: {e}"))
    }

    /// Runs `script` at the start of every page this window opens from now on (through the
    /// DevTools protocol), before the page's own scripts.
    pub async fn before_each_page(&self, script: &str) {
        let command = json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": script}});
        self.call(reqwest::Method::POST, "/goog/cdp/execute", Some(command)).await;
    }

    /// Files this window downloads go to `dir` from now on (through the DevTools protocol).
    pub async fn download_to(&self, dir: &std::path::Path) {
        let params = json!({"behavior": "allow", "downloadPath": dir.to_str().expect("utf-8 path")});
        let command = json!({"cmd": "Page.setDownloadBehavior", "params": params});
        self.call(reqwest::Method::POST, "/goog/cdp/execute", Some(command)).await;
    }

    /// What `script` returns on the page now shown.
    pub async fn run(&self, script: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    pub async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or("").to_owned()
    }

    pub async fn title(&self) -> String {
        self.call(reqwest::Method::GET, "/title", None).await.as_str().unwrap_or("").to_owned()
    }

    /// The element `css` of the page now shown, waiting up to five seconds for it (a click
    /// that sends a form loads the next page while the test goes on).
    async fn find(&self, css: &str) -> String {
        for _ in 0..50 {
            let found = self
                .try_call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            if let Some(id) = found.ok().and_then(|f| f[ELEMENT].as_str().map(str::to_owned)) {
                return id;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element {css}");
    }

    /// Waits until the page shows an element `css`.
    pub async fn wait_for(&self, css: &str) {
        self.find(css).await;
    }

    /// Waits until the text of `css` is `expected`; the text it had at the end otherwise.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            let element = self.find(css).await;
            if let Ok(text) =
                self.try_call(reqwest::Method::GET, &format!("/element/{element}/text"), None).await
            {
                last = text.as_str().unwrap_or("").to_owned();
                if last == expected {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        last
    }

    /// Waits until the address ends with `path`.
    pub async fn wait_for_path(&self, path: &str) -> String {
        let mut url = String::new();
        for _ in 0..50 {
            url = self.url().await;
            if url.split('?').next().unwrap_or("").ends_with(path) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        url
    }

    /// Types `text` into the field `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{element}/clear"), Some(json!({}))).await;
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text})))
            .await;
    }

    /// Types `text` where the focus is, as a keyboard or a scanner does (`\u{E007}` is Enter).
    /// A page just loaded gets its autofocus a moment later: until then the keys would go to the
    /// page itself and be lost, as a scanner's would not (a person waits for the field). So this
    /// waits for a field to have the focus, and fails if none ever gets it.
    pub async fn type_here(&self, text: &str) {
        let script = json!({"script": "return document.readyState === 'complete' && document.activeElement !== null && document.activeElement !== document.body", "args": []});
        let mut focused = false;
        for _ in 0..100 {
            if self.call(reqwest::Method::POST, "/execute/sync", Some(script.clone())).await == json!(true) {
                focused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(focused, "no field has the focus to type {text:?} into");
        let active = self.call(reqwest::Method::GET, "/element/active", None).await;
        let element = active[ELEMENT].as_str().expect("a focused element").to_owned();
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text})))
            .await;
    }

    /// Chooses the file at `path` in the file field `css`, as a person picking it would.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        let element = self.find(css).await;
        let text = path.to_str().expect("a file path in UTF-8");
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text})))
            .await;
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({}))).await;
    }

    /// The visible text of `css`.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            let element = self.find(css).await;
            if let Ok(text) =
                self.try_call(reqwest::Method::GET, &format!("/element/{element}/text"), None).await
            {
                return text.as_str().unwrap_or("").to_owned();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the text of {css} could not be read");
    }

    /// The id (or class) of the element with the focus. Chromium moves the focus to an
    /// `autofocus` field in a rendering step after the page has loaded, later on a busy
    /// machine: while nothing has it yet, this asks again, for up to five seconds.
    pub async fn focused_id(&self) -> String {
        let script = json!({"script": "return document.activeElement && document.activeElement.id || document.activeElement.className", "args": []});
        for _ in 0..50 {
            let focused = self
                .call(reqwest::Method::POST, "/execute/sync", Some(script.clone()))
                .await
                .as_str()
                .unwrap_or("")
                .to_owned();
            if !focused.is_empty() {
                return focused;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        String::new()
    }

    pub async fn set_width(&self, width: u32, height: u32) {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height})))
            .await;
    }

    /// How many bytes the page and its style sheets take on the wire (as the browser fetched them).
    pub async fn page_bytes(&self) -> u64 {
        let script = json!({"script": "const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')); return entries.reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0)", "args": []});
        self.call(reqwest::Method::POST, "/execute/sync", Some(script)).await.as_u64().unwrap_or(u64::MAX)
    }

    /// Whether the page is wider than the window (a sideways scroll bar).
    pub async fn scrolls_sideways(&self) -> bool {
        let script =
            json!({"script": "return document.documentElement.scrollWidth > window.innerWidth", "args": []});
        self.call(reqwest::Method::POST, "/execute/sync", Some(script)).await.as_bool().unwrap_or(true)
    }

    /// The elements that reach past the window's right edge, to say which one is too wide.
    pub async fn too_wide(&self) -> Vec<String> {
        let script = json!({"script": "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className : ''))", "args": []});
        let found = self.call(reqwest::Method::POST, "/execute/sync", Some(script)).await;
        found
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// axe-core's serious and critical violations on this page (WCAG 2.x A and AA rules). The
    /// script goes in through WebDriver, which the page's Content-Security-Policy does not
    /// govern, so the policy stays as strict as it is for people.
    pub async fn accessibility_problems(&self, axe: &str) -> Vec<String> {
        let script = format!(
            "{axe}\nconst done = arguments[arguments.length - 1];\n\
             axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}}})\n\
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\n\
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))\n\
               .catch(e => done(['axe failed: ' + e]));"
        );
        let found = self
            .call(reqwest::Method::POST, "/execute/async", Some(json!({"script": script, "args": []})))
            .await;
        found
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// Writes a PNG of the window to `target/screenshots/{name}.png`.
    pub async fn screenshot(&self, name: &str) {
        let data = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap_or("")).expect("png");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}
