//! The recent-files list: the reviews this user opened last, most recent first, at most
//! [`MAX`], kept as a JSON list of paths in the app's config folder. It belongs to the user's
//! machine, never to a review file.

use std::path::{Path, PathBuf};

/// How many reviews the list remembers.
pub const MAX: usize = 10;

/// The list with `path` moved (or added) to the front, without duplicates, cut to [`MAX`].
pub fn add(list: &[String], path: &str) -> Vec<String> {
    std::iter::once(path.to_owned())
        .chain(list.iter().filter(|p| *p != path).cloned())
        .take(MAX)
        .collect()
}

/// The list without the paths that no longer exist (moved or deleted files), without
/// duplicates and cut to [`MAX`], order kept.
pub fn existing(list: &[String], exists: impl Fn(&Path) -> bool) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for path in list {
        if kept.len() == MAX {
            break;
        }
        if !kept.contains(path) && exists(Path::new(path)) {
            kept.push(path.clone());
        }
    }
    kept
}

/// Reads the stored list. A missing, unreadable or malformed file is an empty list: losing
/// the list is harmless, refusing to start over it is not.
pub fn parse(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The stored list in its config file.
pub struct RecentFiles {
    file: PathBuf,
}

impl RecentFiles {
    pub fn new(config_dir: &Path) -> Self {
        RecentFiles {
            file: config_dir.join("recent-files.json"),
        }
    }

    /// The remembered reviews that still exist, most recent first.
    pub fn load(&self) -> Vec<String> {
        let stored = std::fs::read_to_string(&self.file).map_or_else(|_| Vec::new(), |t| parse(&t));
        existing(&stored, Path::exists)
    }

    /// Puts `path` first and saves the list; answers the new list.
    pub fn remember(&self, path: &Path) -> std::io::Result<Vec<String>> {
        let list = self.load();
        // A path that is not valid UTF-8 cannot be written to the JSON list; the review still
        // opens, it is just not remembered.
        let Some(path) = path.to_str() else {
            return Ok(list);
        };
        let list = add(&list, path);
        self.save(&list)?;
        Ok(list)
    }

    /// Writes the list through a temporary file and a rename, so a crash never leaves half.
    fn save(&self, list: &[String]) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(list).map_err(std::io::Error::other)?;
        let partial = self.file.with_extension("json.partial");
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, &self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn adding_puts_the_path_first() {
        assert_eq!(add(&paths(&["/a", "/b"]), "/c"), paths(&["/c", "/a", "/b"]));
        assert_eq!(add(&[], "/a"), paths(&["/a"]));
    }

    #[test]
    fn adding_a_remembered_path_moves_it_to_the_front_once() {
        assert_eq!(
            add(&paths(&["/a", "/b", "/c"]), "/b"),
            paths(&["/b", "/a", "/c"])
        );
        assert_eq!(add(&paths(&["/a"]), "/a"), paths(&["/a"]));
    }

    #[test]
    fn the_list_keeps_the_ten_most_recent() {
        let mut list = Vec::new();
        for i in 0..15 {
            list = add(&list, &format!("/r{i}"));
        }
        assert_eq!(list.len(), MAX);
        assert_eq!(list.first().map(String::as_str), Some("/r14"));
        assert_eq!(list.last().map(String::as_str), Some("/r5"));
    }

    #[test]
    fn missing_files_are_dropped_and_order_kept() {
        let list = paths(&["/gone", "/a", "/also-gone", "/b"]);
        let kept = existing(&list, |p| !p.to_string_lossy().contains("gone"));
        assert_eq!(kept, paths(&["/a", "/b"]));
    }

    #[test]
    fn a_hand_edited_list_is_deduplicated_and_capped() {
        let mut list = paths(&["/a", "/a", "/b"]);
        list.extend((0..20).map(|i| format!("/x{i}")));
        let kept = existing(&list, |_| true);
        assert_eq!(kept.len(), MAX);
        assert_eq!(&kept[..3], &paths(&["/a", "/b", "/x0"])[..]);
    }

    #[test]
    fn a_malformed_list_reads_as_empty() {
        assert!(parse("").is_empty());
        assert!(parse("{\"not\": \"a list\"}").is_empty());
        assert!(parse("[1, 2]").is_empty());
        assert_eq!(parse("[\"/a\"]"), paths(&["/a"]));
    }

    #[test]
    fn remembered_files_survive_a_restart_and_missing_ones_vanish() {
        let config = tempfile::tempdir().unwrap();
        let reviews = tempfile::tempdir().unwrap();
        let one = reviews.path().join("one.threadline");
        let two = reviews.path().join("two.threadline");
        std::fs::write(&one, b"").unwrap();
        std::fs::write(&two, b"").unwrap();

        let recent = RecentFiles::new(&config.path().join("nested"));
        assert!(recent.load().is_empty());
        recent.remember(&one).unwrap();
        recent.remember(&two).unwrap();

        let again = RecentFiles::new(&config.path().join("nested"));
        let names = |list: Vec<String>| -> Vec<String> {
            list.iter()
                .map(|p| {
                    Path::new(p)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(names(again.load()), ["two.threadline", "one.threadline"]);

        std::fs::remove_file(&two).unwrap();
        assert_eq!(names(again.load()), ["one.threadline"]);
    }
}
