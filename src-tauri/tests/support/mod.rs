//! The end-to-end harness: the real `threadline-desktop` binary in a real WebKitGTK webview,
//! driven over WebDriver (`tauri-driver` in front of `WebKitWebDriver`), on a private X display
//! and with a private home.
//!
//! - [`Desktop::start`] makes a temporary home (HOME and the XDG folders point into it, so the
//!   user's reviews and recent files are never touched and every test starts with none), starts
//!   Xvfb when there is no display, and starts `tauri-driver` on free ports. Dropping the
//!   `Desktop` stops everything it started, also when the test failed: tauri-driver's process
//!   group gets SIGTERM (a SIGKILL would orphan WebKitWebDriver), then any process still
//!   carrying the private HOME (the app, its web processes, Xvfb) is ended by its id.
//! - [`Desktop::launch`] starts the app (a WebDriver session) and returns an [`App`];
//!   [`App::quit`] ends it and waits until the process is gone, so the same `Desktop` can
//!   launch the app again on the same home.
//!
//! Tests run one at a time (a lock), since two WebKit apps on two cores make each other slow.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// The app binary cargo built for this test run.
pub const APP: &str = env!("CARGO_BIN_EXE_threadline-desktop");

/// The app's identifier: its config and data folders are named after it.
const IDENTIFIER: &str = "org.threadline.desktop";

/// How long a step may wait for the window to show what it expects.
pub const PATIENCE: Duration = Duration::from_secs(20);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// One private desktop: a home, a display and a WebDriver server.
pub struct Desktop {
    home: Option<tempfile::TempDir>,
    home_path: PathBuf,
    display: String,
    xvfb: Option<Child>,
    driver: Option<Child>,
    port: u16,
    started: Instant,
    // Last, so the next test waits until everything above is stopped.
    _turn: MutexGuard<'static, ()>,
}

impl Desktop {
    /// Makes the private home, a display and a WebDriver server. The home already knows who
    /// is working (the demo's author), as a machine past its first start does.
    pub fn start() -> Desktop {
        let desktop = Desktop::start_first_time();
        let config = desktop.config_dir();
        std::fs::create_dir_all(&config).expect("the app's config folder");
        std::fs::write(
            config.join("profile.json"),
            r#"{"name": "Alison Greaves", "role": "author"}"#,
        )
        .expect("the profile");
        desktop
    }

    /// As [`Desktop::start`], on a machine where the app has never run: it will ask who is
    /// working.
    pub fn start_first_time() -> Desktop {
        let turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let started = Instant::now();
        let home = tempfile::Builder::new()
            .prefix("threadline-e2e-")
            .tempdir()
            .expect("a temporary home");
        let home_path = home.path().canonicalize().expect("the temporary home");
        for dir in [".config", ".local/share", ".cache", ".local/state", "run"] {
            std::fs::create_dir_all(home_path.join(dir)).expect("the home's folders");
        }
        let mut desktop = Desktop {
            home: Some(home),
            home_path,
            display: String::new(),
            xvfb: None,
            driver: None,
            port: 0,
            started,
            _turn: turn,
        };
        // From here on, a panic drops `desktop`, which stops what was started.
        match std::env::var("DISPLAY") {
            Ok(display) if !display.is_empty() => desktop.display = display,
            _ => desktop.start_xvfb(),
        }
        desktop.start_driver();
        desktop
    }

    /// The app's data folder (where it writes the demo review).
    pub fn data_dir(&self) -> PathBuf {
        self.home_path.join(".local/share").join(IDENTIFIER)
    }

    /// The app's config folder (where it keeps the recent files).
    pub fn config_dir(&self) -> PathBuf {
        self.home_path.join(".config").join(IDENTIFIER)
    }

    /// A file in the private home, for test inputs.
    pub fn write_file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.home_path.join(name);
        std::fs::write(&path, contents).expect("a test file in the private home");
        path
    }

    /// A copy of `from` in the private home named `name`, for test inputs made elsewhere (a
    /// Word document LibreOffice wrote).
    pub fn copy_file(&self, from: &Path, name: &str) -> PathBuf {
        let path = self.home_path.join(name);
        std::fs::copy(from, &path)
            .unwrap_or_else(|e| panic!("cannot copy {} into the home: {e}", from.display()));
        path
    }

    /// Launches the app: a new WebDriver session, whose window is the app's main window.
    /// Waits until the page has rendered (the welcome screen or a review).
    pub async fn launch(&self) -> App {
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": APP }));
        let url = format!("http://127.0.0.1:{}", self.port);
        let started = Instant::now();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot start the app through tauri-driver: {e}"));
        let mut app = App {
            client,
            pids: Vec::new(),
        };
        app.wait_until(
            "the window to render the welcome screen or a review",
            "return !!document.querySelector('main.welcome, nav[aria-label=\"Panels\"]');",
        )
        .await;
        eprintln!(
            "e2e: app launched and rendered in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        app.pids = processes_of(&self.home_path, Some(&app_path()));
        assert!(!app.pids.is_empty(), "the app's process was not found");
        app
    }

    fn env(&self, command: &mut Command) {
        let home = &self.home_path;
        command
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("DISPLAY", &self.display)
            .env("NO_AT_BRIDGE", "1")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            // Its own process group, so it can be stopped with everything it starts.
            .process_group(0);
    }

    fn log(&self, name: &str) -> File {
        File::create(self.home_path.join(name)).expect("a log file in the private home")
    }

    fn start_xvfb(&mut self) {
        let mut command = Command::new("Xvfb");
        self.env(&mut command);
        command
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(self.log("xvfb.log"));
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Xvfb (run scripts/setup.sh desktop): {e}"));
        let stdout = child.stdout.take().expect("Xvfb's output");
        self.xvfb = Some(child);
        // Xvfb prints the display number it chose once it accepts connections.
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("Xvfb's display number");
        let number = line.trim();
        assert!(
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "Xvfb did not start: {}",
            self.read_log("xvfb.log")
        );
        self.display = format!(":{number}");
    }

    fn start_driver(&mut self) {
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        self.env(&mut command);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .stdin(Stdio::null())
            .stdout(self.log("driver.log"))
            .stderr(self.log("driver.err.log"));
        let child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot start tauri-driver (run scripts/setup.sh desktop): {e}")
        });
        self.driver = Some(child);
        self.port = port;
        // tauri-driver listens at once, but forwards to WebKitWebDriver, which it starts
        // alongside: a session asked for before both listen is refused.
        self.wait_for_port(port, "tauri-driver");
        self.wait_for_port(native_port, "WebKitWebDriver");
    }

    fn wait_for_port(&mut self, port: u16, name: &str) {
        let deadline = Instant::now() + PATIENCE;
        let address = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
        while TcpStream::connect_timeout(&address.into(), Duration::from_millis(200)).is_err() {
            if let Some(status) = self
                .driver
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "tauri-driver exited ({status}): {}",
                    self.read_log("driver.err.log")
                );
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not listen on port {port}: {}",
                self.read_log("driver.err.log")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn read_log(&self, name: &str) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(self.home_path.join(name)) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    /// Answers the app's native file chooser titled `title` (a GTK dialog, out of WebDriver's
    /// reach) with `path`, as a user would from the keyboard: types the path into it and
    /// presses Enter. Uses xdotool on the private display.
    pub fn choose_file(&self, title: &str, path: &Path) {
        let deadline = Instant::now() + PATIENCE;
        let window = loop {
            let found = self.xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]);
            if let Some(id) = found.lines().map(str::trim).find(|l| !l.is_empty()) {
                break id.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "the file chooser \"{title}\" did not open"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        // Keys can be lost while the chooser is still settling (on a busy machine): if it has
        // not closed after one attempt, type the path again.
        for attempt in 1..=3 {
            self.type_into_chooser(&window, path);
            let deadline = Instant::now() + Duration::from_secs(if attempt < 3 { 5 } else { 15 });
            while Instant::now() < deadline {
                if !self.window_exists(title) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            eprintln!("e2e: the file chooser is still open after attempt {attempt}");
        }
        panic!("the file chooser \"{title}\" did not close");
    }

    fn type_into_chooser(&self, window: &str, path: &Path) {
        // No window manager runs on Xvfb: give the chooser the keyboard focus directly.
        self.xdotool(&["windowfocus", window]);
        std::thread::sleep(Duration::from_millis(300));
        // Ctrl+L opens the location field; keys typed before it has the focus would be lost
        // (typing "/" opens it too, but swallows the next key), so wait a little first.
        self.xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
        std::thread::sleep(Duration::from_millis(400));
        self.xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
        self.xdotool(&["type", "--delay", "20", &path.display().to_string()]);
        std::thread::sleep(Duration::from_millis(400));
        self.xdotool(&["key", "Return"]);
    }

    /// Presses `keys` (xdotool's names: "ctrl+i") in the app's main window, as a user would:
    /// through GTK, so the native menu's accelerators see them (WebDriver's keys go to the page
    /// only).
    pub fn press_keys(&self, keys: &str) {
        let deadline = Instant::now() + PATIENCE;
        let window = loop {
            let found = self.xdotool(&["search", "--onlyvisible", "--name", "Threadline$"]);
            if let Some(id) = found.lines().map(str::trim).find(|l| !l.is_empty()) {
                break id.to_owned();
            }
            assert!(Instant::now() < deadline, "the app's window was not found");
            std::thread::sleep(Duration::from_millis(100));
        };
        self.xdotool(&["windowfocus", "--sync", &window]);
        std::thread::sleep(Duration::from_millis(200));
        self.xdotool(&["key", "--clearmodifiers", keys]);
    }

    fn window_exists(&self, title: &str) -> bool {
        !self
            .xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")])
            .trim()
            .is_empty()
    }

    /// Writes a PNG of the whole private display (the app and any native dialog) to `path`,
    /// for a failure message; best effort.
    pub fn screenshot(&self, path: &Path) {
        let status = Command::new("sh")
            .arg("-c")
            .arg("xwd -root -silent | convert xwd:- \"$0\"")
            .arg(path)
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("e2e: could not take a screenshot ({status:?})");
        }
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run xdotool (run scripts/setup.sh desktop): {e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        let failed = std::thread::panicking();
        if failed {
            // What the screen showed when the test failed, native dialogs included.
            let name = std::thread::current()
                .name()
                .unwrap_or("e2e")
                .replace("::", "-");
            let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
            self.screenshot(&shot);
            eprintln!("e2e: the screen at the failure: {}", shot.display());
        }
        if let Some(mut driver) = self.driver.take() {
            stop_group(&mut driver);
        }
        // Anything left that carries the private home was started by this test: the app if
        // the driver did not end it, its web processes, Xvfb.
        let xvfb = self.xvfb.take();
        for pid in processes_of(&self.home_path, None) {
            if xvfb.as_ref().is_some_and(|x| x.id() as i32 == pid) {
                continue;
            }
            terminate(pid);
        }
        if let Some(mut xvfb) = xvfb {
            stop_group(&mut xvfb);
        }
        if failed {
            for log in ["driver.err.log", "driver.log"] {
                let text = self.read_log(log);
                if !text.trim().is_empty() {
                    eprintln!("---- {log} ----\n{}", tail(&text, 6000));
                }
            }
        }
        if let Some(home) = self.home.take() {
            if failed && std::env::var_os("THREADLINE_E2E_KEEP").is_some() {
                eprintln!("e2e: kept the private home {}", home.keep().display());
            }
        }
        eprintln!(
            "e2e: desktop up and down in {:.2} s",
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// The running app, seen through WebDriver.
pub struct App {
    client: Client,
    /// The app's processes, found once it rendered (an exiting process can no longer be
    /// recognised by its environment, but keeps its pid until it is gone).
    pids: Vec<i32>,
}

impl App {
    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session, which ends the app, and waits until its process is gone.
    pub async fn quit(self) {
        let pids = self.pids.clone();
        self.client
            .close()
            .await
            .unwrap_or_else(|e| panic!("cannot end the WebDriver session: {e}"));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let running: Vec<i32> = pids.iter().copied().filter(|&p| alive(p)).collect();
            if running.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the app (pids {running:?}) did not exit"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls `script` until it returns something truthy, and returns that. A script can
    /// return `{ pending: <what it sees> }` to keep waiting and say why in a timeout.
    pub async fn wait_until(&self, what: &str, script: &str) -> Value {
        self.wait_until_with(what, script, vec![]).await
    }

    /// [`App::wait_until`] with arguments for the script.
    pub async fn wait_until_with(&self, what: &str, script: &str, args: Vec<Value>) -> Value {
        let deadline = Instant::now() + PATIENCE;
        let mut last_error: Option<String>;
        loop {
            match self.client.execute(script, args.clone()).await {
                Ok(Value::Object(o)) if o.contains_key("pending") => {
                    last_error = Some(format!("still {}", o["pending"]));
                }
                Ok(value) if truthy(&value) => return value,
                Ok(_) => last_error = None,
                Err(e) => last_error = Some(format!("last script error: {e}")),
            }
            if Instant::now() > deadline {
                let page = self.page_text().await;
                panic!(
                    "timed out waiting for {what}{}\n---- the window shows ----\n{}",
                    last_error.map(|e| format!(" ({e})")).unwrap_or_default(),
                    tail(&page, 4000)
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The window's visible text (for failure messages).
    pub async fn page_text(&self) -> String {
        match self
            .client
            .execute(
                "return document.body ? document.body.innerText : '';",
                vec![],
            )
            .await
        {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(e) => format!("(cannot read the page: {e})"),
        }
    }

    /// Polls `script` (a function body with `arguments` = `args`) until it returns a shown
    /// element, and returns that element for WebDriver to act on.
    pub async fn element(&self, what: &str, script: &str, args: Vec<Value>) -> Element {
        let marker = format!("e2e-{}", unique());
        let mut call = vec![json!(marker)];
        call.extend(args);
        // The script is pasted into a function here, not evaluated from a string in the page
        // (the app's CSP forbids eval).
        let probe = format!(
            "const marker = arguments[0];\
             const e = (function () {{ {script} }}).apply(null, Array.from(arguments).slice(1));\
             if (!e || e.getClientRects().length === 0) return false;\
             e.setAttribute('data-e2e', marker);\
             return true;"
        );
        self.wait_until_with(what, &probe, call).await;
        let css = format!("[data-e2e=\"{marker}\"]");
        self.client
            .find(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// Waits until the element `css` matches exists and is shown, and returns it.
    pub async fn find(&self, what: &str, css: &str) -> Element {
        self.wait_until_with(
            what,
            "const e = document.querySelector(arguments[0]);\
             return !!e && e.getClientRects().length > 0;",
            vec![json!(css)],
        )
        .await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{what} ({css}): {e}"))
    }

    /// Waits until a shown, enabled button whose text or accessible name is `name` exists
    /// (inside `scope`, a CSS selector), and clicks it as a user would.
    pub async fn click_button_in(&self, scope: &str, name: &str) {
        let what = format!("the button \"{name}\"");
        let button = self
            .element(
                &what,
                "const [scope, name] = arguments;\
                 const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();\
                 for (const root of document.querySelectorAll(scope)) {\
                   for (const b of root.querySelectorAll('button, [role=button]')) {\
                     if ((norm(b.getAttribute('aria-label')) === name || norm(b.textContent) === name)\
                         && !b.disabled && b.getClientRects().length > 0) return b;\
                   }\
                 }\
                 return null;",
                vec![json!(scope), json!(name)],
            )
            .await;
        self.click(&what, &button).await;
    }

    /// Clicks the element `css` matches, through WebDriver (real pointer events).
    pub async fn click_css(&self, what: &str, css: &str) {
        let element = self.find(what, css).await;
        self.click(what, &element).await;
    }

    /// Scrolls `element` into view and clicks it through WebDriver (real pointer events).
    pub async fn click(&self, what: &str, element: &Element) {
        // WebKitWebDriver refuses clicks on points it cannot see.
        self.js(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
            vec![serde_json::to_value(element).expect("an element reference")],
        )
        .await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {what}: {e}"));
    }

    /// Shows a panel through the sidebar and waits until it is the current one and its
    /// heading is shown.
    pub async fn show_panel(&self, id: &str) {
        self.click_css(
            &format!("the sidebar's {id} button"),
            &format!("nav[aria-label=\"Panels\"] button[data-panel=\"{id}\"]"),
        )
        .await;
        self.wait_until_with(
            &format!("the {id} panel to show"),
            "const b = document.querySelector(\
               `nav[aria-label=\"Panels\"] button[data-panel=\"${arguments[0]}\"]`);\
             const main = document.querySelector('main#panel');\
             return !!b && b.getAttribute('aria-current') === 'page' && !!main\
               && !!main.querySelector('h1');",
            vec![json!(id)],
        )
        .await;
    }

    /// Waits until the panel area's text contains every one of `texts`.
    pub async fn wait_panel_text(&self, what: &str, texts: &[&str]) {
        self.wait_until_with(
            what,
            "const main = document.querySelector('main#panel');\
             if (!main) return false;\
             const text = main.innerText;\
             return arguments[0].every((t) => text.includes(t));",
            vec![json!(texts)],
        )
        .await;
    }

    /// Waits until the panel area's text matches the regular expression `pattern`.
    pub async fn wait_panel_match(&self, what: &str, pattern: &str) -> String {
        let found = self
            .wait_until_with(
                what,
                "const main = document.querySelector('main#panel');\
                 if (!main) return false;\
                 const m = main.innerText.match(new RegExp(arguments[0]));\
                 return m ? m[0] : false;",
                vec![json!(pattern)],
            )
            .await;
        found.as_str().unwrap_or_default().to_owned()
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The app binary's real path (as `/proc/<pid>/exe` shows it).
fn app_path() -> PathBuf {
    std::fs::canonicalize(APP).unwrap_or_else(|_| PathBuf::from(APP))
}

/// `tauri-driver` on the PATH, or where `cargo install` puts it.
fn tauri_driver() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("tauri-driver"))
            .find(|p| p.is_file())
    });
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    on_path
        .or_else(|| {
            cargo_home
                .map(|c| c.join("bin/tauri-driver"))
                .filter(|p| p.is_file())
        })
        .unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// SIGTERM to the child's process group, then waits for the child; SIGKILL to the group only
/// if it is still there after a while.
fn stop_group(child: &mut Child) {
    let pgid = child.id() as i32;
    // SAFETY: kill(2) with a negative pid signals the process group `child` leads.
    unsafe { libc::kill(-pgid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    eprintln!("e2e: process group {pgid} ignored SIGTERM; killing it");
    // SAFETY: as above.
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
    let _ = child.wait();
}

/// SIGTERM to one process this test started, then SIGKILL if it is still there after a while.
fn terminate(pid: i32) {
    // SAFETY: kill(2) on a pid found by `processes_of` (a process carrying this test's home).
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if !alive(pid) {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// Whether `pid` still runs (an exited process holds its files, and so the review's lock,
/// until it is a zombie).
fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists() && !is_zombie(pid)
}

fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

/// The live processes whose environment has `HOME=<home>` (only this test's processes carry
/// its private home), optionally only those running `exe`.
fn processes_of(home: &Path, exe: Option<&Path>) -> Vec<i32> {
    let needle = format!("HOME={}", home.display()).into_bytes();
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<i32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() as i32 || is_zombie(pid) {
            continue;
        }
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if !environ
            .split(|&b| b == 0)
            .any(|var| var == needle.as_slice())
        {
            continue;
        }
        if let Some(exe) = exe {
            let Ok(running) = std::fs::read_link(entry.path().join("exe")) else {
                continue;
            };
            let running = running.to_string_lossy();
            let running = running.trim_end_matches(" (deleted)");
            if Path::new(running) != exe {
                continue;
            }
        }
        found.push(pid);
    }
    found
}
