//! The terminal's input, read without blocking.
//!
//! crossterm reads the terminal until it has a whole event, expecting the
//! descriptor not to block; on a blocking one, the first bytes of a
//! sequence that never completes (a paste whose end marker never comes, a
//! lone `ESC [`) leave it waiting inside `read`, and the app stops drawing,
//! ticking its timers and following resizes until another byte arrives.
//!
//! Standard input usually shares one open file with standard output (and
//! with the shell): making that non-blocking would let a large frame fail
//! half-written on a slow link, and would leak to the shell after a crash.
//! So while the app runs, descriptor 0 is a second, private opening of the
//! same terminal, non-blocking; the original comes back on the way out.
//!
//! crossterm's event reader keeps the descriptor number it first read, so
//! the app runs once per process (as it does): a second run after
//! `restore_input` would find the reader on the original, blocking input.

#[cfg(unix)]
mod imp {
    use std::os::fd::IntoRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::{AtomicI32, Ordering};

    /// A copy of the original descriptor 0, or -1 when it was not replaced.
    static SAVED: AtomicI32 = AtomicI32::new(-1);

    fn terminal_path() -> Option<std::path::PathBuf> {
        let mut buf = [0 as libc::c_char; 512];
        // SAFETY: ttyname_r writes at most buf.len() bytes, NUL-terminated
        // on success, into a buffer that lives across the call.
        let rc = unsafe { libc::ttyname_r(libc::STDIN_FILENO, buf.as_mut_ptr(), buf.len()) };
        if rc != 0 {
            return None;
        }
        // SAFETY: on success the buffer holds a NUL-terminated string.
        let name = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
        use std::os::unix::ffi::OsStrExt;
        Some(std::ffi::OsStr::from_bytes(name.to_bytes()).into())
    }

    pub fn nonblocking_input() {
        if SAVED.load(Ordering::SeqCst) >= 0 {
            return;
        }
        let Some(path) = terminal_path() else {
            return;
        };
        let Ok(file) = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC)
            .open(path)
        else {
            return;
        };
        let fd = file.into_raw_fd();
        // SAFETY: dup and dup2 take and return plain descriptors; fd is
        // ours and closed once it has been copied onto 0.
        unsafe {
            let saved = libc::fcntl(libc::STDIN_FILENO, libc::F_DUPFD_CLOEXEC, 0);
            if saved >= 0 && libc::dup2(fd, libc::STDIN_FILENO) == libc::STDIN_FILENO {
                SAVED.store(saved, Ordering::SeqCst);
            } else if saved >= 0 {
                libc::close(saved);
            }
            libc::close(fd);
        }
    }

    pub fn restore_input() {
        let saved = SAVED.swap(-1, Ordering::SeqCst);
        if saved >= 0 {
            // SAFETY: as above; saved is the copy made by nonblocking_input.
            unsafe {
                libc::dup2(saved, libc::STDIN_FILENO);
                libc::close(saved);
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn nonblocking_input() {}
    pub fn restore_input() {}
}

pub use imp::{nonblocking_input, restore_input};
