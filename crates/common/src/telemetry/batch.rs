//! The log's writer: a request appends its line to a shared buffer and goes on; one thread writes the
//! buffer out in batches. A line costs a lock and a copy, never a system call nor a thread wake-up of its
//! own: the writer thread is woken once per batch (by the line that finds the buffer empty), waits
//! [`BATCH_WINDOW`] for more lines to gather, then writes them all at once. Idle, the thread sleeps until
//! the next line.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the writer thread lets lines gather after the first one of a batch.
const BATCH_WINDOW: Duration = Duration::from_millis(20);

/// A buffer this full is written at once, without waiting for the window to end.
const EARLY_WRITE_BYTES: usize = 256 * 1024;

/// A buffer this full makes loggers wait for the writer thread (logging slows down; no line is dropped).
const FULL_BYTES: usize = 4 * 1024 * 1024;

#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    stopping: bool,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
    /// Signalled when a batch starts, when the buffer reaches [`EARLY_WRITE_BYTES`], and at shutdown.
    work: Condvar,
    /// Signalled after each write, for loggers waiting on a full buffer.
    room: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The `MakeWriter` of the log layer (each line is written through a `&BatchWriter`); every clone appends
/// to the same buffer.
#[derive(Clone)]
pub struct BatchWriter {
    shared: Arc<Shared>,
}

/// Owns the writer thread; dropping it writes what is still buffered and stops the thread.
pub struct BatchGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// A writer whose lines reach `out` in batches, from a thread named `name`.
pub fn batch_writer<W: Write + Send + 'static>(
    out: W,
    name: &str,
) -> std::io::Result<(BatchWriter, BatchGuard)> {
    let shared = Arc::new(Shared::default());
    let thread = {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || write_batches(&shared, out))?
    };
    Ok((
        BatchWriter {
            shared: shared.clone(),
        },
        BatchGuard {
            shared,
            thread: Some(thread),
        },
    ))
}

/// The writer thread: sleeps until a batch starts, lets it gather, swaps the buffer out and writes it.
fn write_batches<W: Write>(shared: &Shared, mut out: W) {
    let mut spare = Vec::new();
    loop {
        let mut pending = shared.lock();
        while pending.bytes.is_empty() && !pending.stopping {
            pending = shared.work.wait(pending).unwrap_or_else(|e| e.into_inner());
        }
        if !pending.stopping && pending.bytes.len() < EARLY_WRITE_BYTES {
            pending = shared
                .work
                .wait_timeout_while(pending, BATCH_WINDOW, |p| {
                    !p.stopping && p.bytes.len() < EARLY_WRITE_BYTES
                })
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        let stopping = pending.stopping;
        std::mem::swap(&mut pending.bytes, &mut spare);
        drop(pending);
        shared.room.notify_all();
        // Nowhere to report a failed write to: the line is lost, the next batch is tried.
        let _ = out.write_all(&spare).and_then(|()| out.flush());
        spare.clear();
        // A burst's buffer is not kept for ever.
        if spare.capacity() > EARLY_WRITE_BYTES {
            spare = Vec::new();
        }
        if stopping && shared.lock().bytes.is_empty() {
            return;
        }
    }
}

impl Write for &BatchWriter {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut pending = self.shared.lock();
        while pending.bytes.len() >= FULL_BYTES && !pending.stopping {
            self.shared.work.notify_one();
            pending = self
                .shared
                .room
                .wait(pending)
                .unwrap_or_else(|e| e.into_inner());
        }
        let before = pending.bytes.len();
        pending.bytes.extend_from_slice(line);
        // Only the line that starts a batch or crosses the early mark wakes the writer thread: a thread
        // that is busy meanwhile sees the buffer's length before it waits again.
        let starts_batch = before == 0;
        let early = before < EARLY_WRITE_BYTES && pending.bytes.len() >= EARLY_WRITE_BYTES;
        drop(pending);
        if starts_batch || early {
            self.shared.work.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchWriter {
    type Writer = &'a BatchWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

impl Drop for BatchGuard {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.work.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A sink the test can read while the writer thread owns a handle to it; counts the writes.
    #[derive(Clone, Default)]
    struct Sink {
        bytes: Arc<Mutex<Vec<u8>>>,
        writes: Arc<Mutex<usize>>,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.bytes.lock().unwrap().extend_from_slice(buf);
            *self.writes.lock().unwrap() += 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.bytes.lock().unwrap().clone()).unwrap()
        }
    }

    #[test]
    fn lines_from_many_threads_arrive_whole_and_in_each_threads_order() {
        let sink = Sink::default();
        let (writer, guard) = batch_writer(sink.clone(), "test-log").unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    let mut w = &writer;
                    for i in 0..5000 {
                        w.write_all(format!("t{t} line {i}\n").as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        drop(guard);
        let text = sink.text();
        assert_eq!(text.lines().count(), 20_000);
        for t in 0..4 {
            let mine: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with(&format!("t{t} ")))
                .collect();
            let expected: Vec<String> = (0..5000).map(|i| format!("t{t} line {i}")).collect();
            assert_eq!(mine, expected);
        }
        assert!(
            *sink.writes.lock().unwrap() < 20_000 / 10,
            "lines are written in batches"
        );
    }

    #[test]
    fn a_lone_line_is_written_within_the_batch_window() {
        let sink = Sink::default();
        let (writer, _guard) = batch_writer(sink.clone(), "test-log").unwrap();
        (&writer).write_all(b"hello\n").unwrap();
        let started = Instant::now();
        while sink.text().is_empty() {
            assert!(started.elapsed() < Duration::from_secs(5), "never written");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(sink.text(), "hello\n");
    }

    #[test]
    fn a_full_buffer_makes_loggers_wait_and_loses_nothing() {
        /// A sink that takes its time, so the buffer fills up.
        #[derive(Clone, Default)]
        struct Slow(Sink);
        impl Write for Slow {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                std::thread::sleep(Duration::from_millis(30));
                self.0.write(buf)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let slow = Slow::default();
        let (writer, guard) = batch_writer(slow.clone(), "test-log").unwrap();
        let mut writer = &writer;
        let line = vec![b'x'; 1023];
        let lines = 3 * FULL_BYTES / 1024;
        for _ in 0..lines {
            writer.write_all(&line).unwrap();
            writer.write_all(b"\n").unwrap();
        }
        drop(guard);
        assert_eq!(slow.0.bytes.lock().unwrap().len(), lines * 1024);
    }
}
