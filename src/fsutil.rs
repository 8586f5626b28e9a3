//! Private files: created owner-only whatever the umask, never through a
//! symbolic link, and put in place atomically and durably.
//!
//! Exports and backups hold every note in the store. They are written to a
//! partial file beside the target, created with
//! `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600 (so a file or link someone
//! placed at that name is never written through), synced, renamed over the
//! target in one step, and the directory synced, so that a crash or power
//! cut leaves either the old file or the whole new one.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The mode of every private file caseload creates: owner read and write.
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// The mode of every private directory caseload creates: owner only.
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Adds an operating-system error's context: which path, doing what.
fn with_path(e: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

/// Creates a new file at `path` for writing, owner-only (0600 whatever the
/// umask), refusing if anything (a file, a symbolic link, a directory)
/// already has that name: nothing someone else prepared is ever written
/// through.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // create_new is O_CREAT|O_EXCL; O_NOFOLLOW says the same of links
        // explicitly (O_EXCL already refuses a dangling one).
        options
            .mode(PRIVATE_FILE_MODE)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        // The umask can only take bits away; set the mode exactly so the
        // owner can always read back what was written.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(PRIVATE_FILE_MODE))?;
    }
    Ok(file)
}

/// Removes what a killed run left at `path` (a partial file), never
/// following a link: a symbolic link is removed itself, its target left
/// alone. Nothing there is fine; a directory is refused.
pub fn remove_stale(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "a directory has this name; move it away",
        )),
        // unlink(2) removes the name, whatever it is; it never follows.
        Ok(_) => match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        },
    }
}

/// Makes the entries of directory `dir` (files created, renamed or removed
/// in it) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The directory a path's file lives in ("." for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A private file being written under a partial name, put in place by
/// [`AtomicFile::commit`]. Dropped without committing, the partial file is
/// removed.
#[derive(Debug)]
pub struct AtomicFile {
    file: File,
    partial: PathBuf,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing `target` through `.NAME.partial` beside it. A
    /// partial file left by a killed run is removed first (unlinked, never
    /// followed); the target itself must be a regular file or not exist
    /// (a symbolic link there is refused: neither it nor what it points
    /// at is touched).
    pub fn begin(target: &Path) -> io::Result<AtomicFile> {
        let name = target.file_name().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: not a file name", target.display()),
            )
        })?;
        match fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                    "{} is a symbolic link; give the real path of the file (nothing was written)",
                    target.display()
                ),
                ))
            }
            Ok(m) if !m.is_file() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} exists and is not a regular file (nothing was written)",
                        target.display()
                    ),
                ))
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(with_path(e, "cannot look at", target)),
        }
        let mut partial_name = OsString::from(".");
        partial_name.push(name);
        partial_name.push(".partial");
        let partial = parent_of(target).join(partial_name);
        remove_stale(&partial)
            .map_err(|e| with_path(e, "cannot remove the stale partial file", &partial))?;
        let file = create_private(&partial).map_err(|e| with_path(e, "cannot create", &partial))?;
        Ok(AtomicFile {
            file,
            partial,
            target: target.to_path_buf(),
        })
    }

    /// The open partial file, to write into.
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// The partial file's path (for messages and tests).
    pub fn partial_path(&self) -> &Path {
        &self.partial
    }

    /// Syncs the written data, renames the partial file over the target
    /// (atomically replacing an old file there) and syncs the directory:
    /// when this returns, the new file is on stable storage under its name.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        self.file
            .sync_all()
            .map_err(|e| with_path(e, "cannot write", &self.partial))?;
        fs::rename(&self.partial, &self.target)
            .map_err(|e| with_path(e, "cannot rename into", &self.target))?;
        let target = std::mem::take(&mut self.target);
        self.partial = PathBuf::new();
        sync_dir(parent_of(&target))
            .map_err(|e| with_path(e, "cannot sync the directory of", &target))?;
        Ok(target)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.partial.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn create_private_refuses_an_existing_name_and_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        fs::write(&p, "old").unwrap();
        assert_eq!(
            create_private(&p).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        assert!(create_private(&link).is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        let fresh = dir.path().join("new");
        create_private(&fresh).unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }

    #[test]
    fn a_dropped_atomic_file_leaves_nothing_and_a_commit_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        fs::write(&target, "old").unwrap();
        let partial = {
            let mut a = AtomicFile::begin(&target).unwrap();
            a.file().write_all(b"half").unwrap();
            a.partial_path().to_path_buf()
        };
        assert!(!partial.exists());
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        let mut a = AtomicFile::begin(&target).unwrap();
        a.file().write_all(b"new").unwrap();
        a.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(mode(&target), 0o600);
        assert!(!partial.exists());
    }

    #[test]
    fn remove_stale_unlinks_a_link_not_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let link = dir.path().join(".x.partial");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(remove_stale(&link).unwrap());
        assert!(fs::symlink_metadata(&link).is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert!(!remove_stale(&link).unwrap());
        fs::create_dir(&link).unwrap();
        assert!(remove_stale(&link).is_err());
    }
}
