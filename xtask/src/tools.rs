//! Installing and verifying the toolchain: reuse what matches, install what is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk version known to build with this rustc (0.22 needs rustc ≥ 1.96).
pub const TRUNK_VERSION: &str = "0.21.14";

/// Paths and versions of the build tools, once they are in place.
pub struct Tools {
    /// The workspace root.
    pub root: PathBuf,
    /// PATH with `node_modules/.bin` (wasm-opt) and `~/.cargo/bin` in front.
    pub path: String,
}

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Runs a command, streaming its output; an error names the command and its status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = show(cmd);
    println!("\n==> {shown}");
    let started = std::time::Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    println!("<== {:.0} s: {shown}", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The text of a command, for messages.
pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// First line of `program --version`, or None when it does not run.
fn version_of(program: &str, path: &str) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .env("PATH", path)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_string())
}

/// The exact wasm-bindgen version pinned by Cargo.lock.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// Checks that Trunk.toml pins the same wasm-bindgen as Cargo.lock (Trunk runs offline).
fn check_trunk_pin(root: &Path, version: &str) -> Result<(), String> {
    let trunk = std::fs::read_to_string(root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let wanted = format!("wasm_bindgen = \"{version}\"");
    if trunk.lines().any(|l| l.trim() == wanted) {
        Ok(())
    } else {
        Err(format!(
            "Trunk.toml must pin `{wanted}` under [tools] to match Cargo.lock"
        ))
    }
}

fn search_path(root: &Path) -> String {
    let mut parts = vec![root.join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    let mut path = std::env::join_paths(parts)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Ok(old) = std::env::var("PATH") {
        path.push(':');
        path.push_str(&old);
    }
    path
}

/// Makes sure the wasm target, Trunk, wasm-bindgen-cli and wasm-opt are installed at the
/// right versions, installing what is missing. Prints what it does.
pub fn ensure_build_tools() -> Result<Tools, String> {
    let root = root();
    let path = search_path(&root);

    println!(
        "xtask: checking the build toolchain (first run on a fresh machine installs Trunk and"
    );
    println!("       wasm-bindgen-cli with `cargo install`: that takes ~8 minutes on 2 cores)");

    // 1. Dependencies, so that everything after can run offline.
    run(Command::new("cargo")
        .args(["fetch", "--locked"])
        .current_dir(&root))?;

    // 2. The wasm32 target.
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
    if String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        println!("xtask: wasm32-unknown-unknown target: present");
    } else {
        println!("xtask: installing the wasm32-unknown-unknown target (seconds)");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    // 3. Trunk.
    let want_trunk = format!("trunk {TRUNK_VERSION}");
    match version_of("trunk", &path) {
        Some(v) if v == want_trunk => println!("xtask: {v}: present"),
        found => {
            println!(
                "xtask: installing Trunk {TRUNK_VERSION} (found: {}); this takes ~6 minutes",
                found.as_deref().unwrap_or("none")
            );
            run(Command::new("cargo").args([
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
            ]))?;
        }
    }

    // 4. wasm-bindgen-cli at exactly the Cargo.lock version.
    let wb = locked_wasm_bindgen(&root)?;
    check_trunk_pin(&root, &wb)?;
    let want_wb = format!("wasm-bindgen {wb}");
    match version_of("wasm-bindgen", &path) {
        Some(v) if v == want_wb => println!("xtask: {v}: present"),
        found => {
            println!(
                "xtask: installing wasm-bindgen-cli {wb} (found: {}); this takes ~2 minutes",
                found.as_deref().unwrap_or("none")
            );
            // Without --locked: its lockfile wants a webpki-roots the registry lacks.
            run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]))?;
        }
    }

    // 5. From npm: wasm-opt (binaryen 132; Debian's 108 breaks the externref table), terser
    //    (Trunk's post-build hook minifies the JS glue with it, scripts/minify-glue.mjs) and
    //    axe-core (the end-to-end tests' accessibility checks).
    let npm_pinned = ["terser", "axe-core"].iter().all(|p| {
        pinned_npm(&root, p).is_some_and(|want| installed_npm(&root, p).as_deref() == Some(&want))
    });
    match version_of("wasm-opt", &path) {
        Some(v) if v.contains("version_132") && npm_pinned => {
            println!("xtask: {v}, terser and axe-core: present");
        }
        _ => {
            println!(
                "xtask: installing wasm-opt (binaryen@132), terser and axe-core from npm (`npm ci`)"
            );
            run(Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&root))?;
        }
    }
    Ok(Tools { root, path })
}

/// The version `package.json` pins for npm package `name` (`"name": "1.2.3"`).
fn pinned_npm(root: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join("package.json")).ok()?;
    let key = format!("\"{name}\":");
    let line = text.lines().find(|l| l.trim().starts_with(&key))?;
    let value = line.trim().strip_prefix(&key)?.trim().trim_end_matches(',');
    Some(value.trim_matches('"').to_string())
}

/// The version of npm package `name` in `node_modules`, when installed.
fn installed_npm(root: &Path, name: &str) -> Option<String> {
    let text =
        std::fs::read_to_string(root.join("node_modules").join(name).join("package.json")).ok()?;
    let line = text
        .lines()
        .find(|l| l.trim().starts_with("\"version\":"))?;
    let value = line
        .trim()
        .strip_prefix("\"version\":")?
        .trim()
        .trim_end_matches(',');
    Some(value.trim_matches('"').to_string())
}

/// Makes sure Chromium and chromedriver are installed (from Debian), for the browser tests.
pub fn ensure_browser(path: &str) -> Result<(), String> {
    let have = |p: &str| version_of(p, path);
    if let (Some(c), Some(d)) = (have("chromium"), have("chromedriver")) {
        println!("xtask: {c} / {d}: present");
        return Ok(());
    }
    let apt = Command::new("apt-get").arg("--version").output().is_ok();
    if !apt {
        return Err(
            "the browser tests need Chromium and chromedriver (/usr/bin/chromium, \
                    /usr/bin/chromedriver) and apt-get is not available here: install them \
                    with your package manager (Debian: chromium chromium-driver)"
                .into(),
        );
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let sudo: &[&str] = if root_user { &[] } else { &["sudo"] };
    println!("xtask: installing Chromium and chromedriver from Debian (~20 s)");
    let mut update = Command::new(sudo.first().copied().unwrap_or("apt-get"));
    if root_user {
        update.arg("update");
    } else {
        update.args(["apt-get", "update"]);
    }
    run(&mut update)?;
    let mut install = Command::new(sudo.first().copied().unwrap_or("apt-get"));
    if !root_user {
        install.arg("apt-get");
    }
    install
        .args(["install", "-y", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}
