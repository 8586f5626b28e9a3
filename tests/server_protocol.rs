//! The wire, attacked: garbage, malformed and oversized frames, and
//! clients or servers of another protocol version. The server must answer
//! or close, and keep serving everyone else.

mod server_support;

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Duration;

use caseload::server::protocol::{
    decode, encode, read_frame, write_frame, Hello, HelloReply, Request, Response, WireError,
    MAGIC, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, PROTOCOL,
};
use caseload::server::{socket_path, ConnectError, RemoteStore};
use caseload::store::Store;

use server_support::*;

fn connect(dir: &std::path::Path) -> UnixStream {
    let s = UnixStream::connect(socket_path(dir)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s
}

fn reply(s: &UnixStream) -> HelloReply {
    let mut r = s;
    decode(&read_frame(&mut r, 1 << 20).expect("a reply frame")).expect("a hello reply")
}

fn answer(s: &UnixStream) -> Response {
    let mut r = s;
    decode(&read_frame(&mut r, MAX_RESPONSE_BYTES).expect("an answer frame")).expect("an answer")
}

fn greeted(dir: &std::path::Path) -> UnixStream {
    let s = connect(dir);
    write_frame(&s, &encode(&Hello::ours()).expect("encode")).expect("hello");
    assert!(reply(&s).accepted);
    s
}

/// True once the peer has closed: a read returns end of file or a reset.
fn closed(s: &UnixStream) -> bool {
    let mut buf = [0u8; 64];
    let mut r = s;
    loop {
        match r.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            // A reset (unread data was discarded) is a close too; only a
            // timeout means the server kept the connection open.
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                )
            }
        }
    }
}

/// The peers of a store opened directly: refused until someone signs in
/// (the store's own files get the same authorizing layer as a server),
/// then listed.
fn signed_in_peers(store: &dyn Store) -> usize {
    let err = store.list_peers().expect_err("sign-in first");
    assert!(err.to_string().contains("sign in first"), "{err}");
    let throttle = caseload::ops::auth::Throttle::default();
    caseload::ops::auth::sign_in(store, &throttle, ADMIN, ADMIN_PIN, "ana").expect("sign in");
    store.list_peers().expect("peers").len()
}

fn still_serving(dir: &std::path::Path) {
    let c = client(dir, ADMIN, ADMIN_PIN);
    assert_eq!(c.list_peers().expect("the server still answers").len(), 2);
}

#[test]
fn garbage_instead_of_a_hello_is_refused_and_closed() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);

    // Not even a frame: text from some other program.
    let s = connect(&dir);
    (&s).write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    // "GET " read as a length is huge: the hello limit refuses it unread.
    let r = reply(&s);
    assert!(!r.accepted);
    assert!(r.message.contains("caseload server"), "{}", r.message);
    assert!(closed(&s));

    // A frame of the right size with the wrong magic.
    let s = connect(&dir);
    let mut bad = Hello::ours();
    bad.magic = *b"notcasel";
    write_frame(&s, &encode(&bad).expect("encode")).expect("write");
    assert!(!reply(&s).accepted);
    assert!(closed(&s));

    // Random bytes in a frame.
    let s = connect(&dir);
    write_frame(&s, &[0xff; 37]).expect("write");
    assert!(!reply(&s).accepted);

    still_serving(&dir);
}

#[test]
fn malformed_requests_get_an_error_and_the_connection_goes_on() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let s = greeted(&dir);
    for junk in [
        &[][..],
        &[0xff, 0xff, 0xff, 0xff, 0x0f][..],
        &[250u8; 1000][..],
    ] {
        write_frame(&s, junk).expect("send junk");
        match answer(&s) {
            Response::Error(WireError::Protocol(m)) => {
                assert!(m.contains("unreadable request"), "{m}")
            }
            other => panic!("expected a protocol error, got {other:?}"),
        }
    }
    // Same connection, a proper request: still answered.
    write_frame(&s, &encode(&Request::Location).expect("encode")).expect("send");
    assert!(matches!(answer(&s), Response::Location(_)));
    still_serving(&dir);
}

#[test]
fn an_oversized_frame_is_refused_from_its_header_and_the_connection_closed() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let s = greeted(&dir);
    let announced = (MAX_REQUEST_BYTES as u32) + 1;
    // Header and a little of the body in one write: the server may close
    // as soon as it has read the header.
    let mut start = announced.to_be_bytes().to_vec();
    start.extend_from_slice(&[0u8; 1024]);
    (&s).write_all(&start).expect("header and some body");
    match answer(&s) {
        Response::Error(WireError::Protocol(m)) => {
            assert!(m.contains("larger than the 16 MiB limit"), "{m}")
        }
        other => panic!("expected a protocol error, got {other:?}"),
    }
    assert!(closed(&s));
    // The largest possible header, too.
    let s = greeted(&dir);
    (&s).write_all(&u32::MAX.to_be_bytes()).expect("header");
    assert!(matches!(
        answer(&s),
        Response::Error(WireError::Protocol(_))
    ));
    still_serving(&dir);
}

#[test]
fn many_abrupt_connections_do_not_crash_the_server() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    for i in 0..50u32 {
        let s = connect(&dir);
        match i % 3 {
            0 => {}
            1 => (&s).write_all(&[0, 0]).expect("half a header"),
            _ => {
                write_frame(&s, &encode(&Hello::ours()).expect("encode")).expect("hello");
                (&s).write_all(&[0, 0, 0, 9, 1]).expect("half a request");
            }
        }
        drop(s);
    }
    still_serving(&dir);
}

#[test]
fn a_client_of_another_protocol_is_told_both_versions() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let _server = ServerProcess::start(&dir);
    let s = connect(&dir);
    let hello = Hello {
        magic: MAGIC,
        protocol: PROTOCOL + 1,
        version: "9.9.9".into(),
    };
    write_frame(&s, &encode(&hello).expect("encode")).expect("hello");
    let r = reply(&s);
    assert!(!r.accepted);
    assert_eq!(r.protocol, PROTOCOL);
    assert!(
        r.message.contains(&format!("speaks protocol {PROTOCOL}"))
            && r.message
                .contains(&format!("this caseload speaks {}", PROTOCOL + 1))
            && r.message.contains("caseload.sock")
            && r.message.contains("upgrade"),
        "{}",
        r.message
    );
    assert!(closed(&s));
}

/// A fake server that answers every hello with `reply`.
fn fake_server(dir: &std::path::Path, reply: HelloReply) -> std::thread::JoinHandle<()> {
    std::fs::create_dir_all(dir).expect("dir");
    let listener = UnixListener::bind(socket_path(dir)).expect("bind");
    std::thread::spawn(move || {
        if let Ok((s, _)) = listener.accept() {
            let mut r = &s;
            let _ = read_frame(&mut r, 4096);
            let _ = write_frame(&s, &encode(&reply).expect("encode"));
        }
    })
}

#[test]
fn a_server_of_another_protocol_gets_a_clear_message_on_the_client() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("store");
    let t = fake_server(
        &dir,
        HelloReply {
            protocol: PROTOCOL + 1,
            version: "0.9.0".into(),
            accepted: true,
            message: String::new(),
        },
    );
    let err = match RemoteStore::connect(&socket_path(&dir)) {
        Err(ConnectError::Failed(e)) => e.to_string(),
        Err(ConnectError::NoServer) => panic!("the fake server was there"),
        Ok(_) => panic!("a server of the next protocol was accepted"),
    };
    t.join().expect("fake server");
    assert_eq!(
        err,
        format!(
            "the caseload server at {} speaks protocol {} (caseload 0.9.0), this caseload speaks {PROTOCOL} (caseload {}); upgrade caseload so that both are the same version (just upgraded? the older service still runs: restart `caseload serve` (`systemctl restart caseload`), or stop a private one with SIGTERM to the pid in {}; it also exits by itself when idle)",
            socket_path(&dir).display(),
            PROTOCOL + 1,
            env!("CARGO_PKG_VERSION"),
            dir.join("caseload-service.log").display()
        )
    );
    // open_store reports it too, instead of opening the files behind the
    // server's back.
    let t = fake_server_again(&dir);
    let err = caseload::server::open_store(&dir)
        .err()
        .expect("refused")
        .to_string();
    t.join().expect("fake server");
    assert!(err.contains("speaks protocol 3"), "{err}");
}

fn fake_server_again(dir: &std::path::Path) -> std::thread::JoinHandle<()> {
    let _ = std::fs::remove_file(socket_path(dir));
    fake_server(
        dir,
        HelloReply {
            protocol: 3,
            version: "0.3.0".into(),
            accepted: false,
            message: "the caseload server at X speaks protocol 3, this caseload speaks 1; upgrade caseload".into(),
        },
    )
}

#[test]
fn a_stale_socket_with_no_listener_is_ignored_and_the_store_opens_directly() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    {
        // A socket file whose server is gone (bound, then dropped).
        let l = UnixListener::bind(socket_path(&dir)).expect("bind");
        drop(l);
    }
    assert!(socket_path(&dir).exists());
    let opened = caseload::server::open(&dir).expect("opens directly");
    assert!(opened.served_by.is_none());
    assert_eq!(signed_in_peers(&*opened.store), 2);
    drop(opened);
    // And a server starting there replaces the stale socket.
    let _server = ServerProcess::start(&dir);
    let opened = caseload::server::open(&dir).expect("opens through the server");
    assert_eq!(opened.served_by, Some(socket_path(&dir)));
}

#[test]
fn an_in_process_server_stops_cleanly_and_lets_go_of_the_store() {
    let tmp = make_store();
    let dir = store_dir(tmp.path());
    let server = caseload::server::Server::start(&dir, &caseload::server::ServeOptions::default())
        .expect("server starts");
    let c = client(&dir, ADMIN, ADMIN_PIN);
    assert!(c.location().contains("caseload.sock"));
    let notices = c.subscribe().expect("notices");
    server.stop();
    assert!(!socket_path(&dir).exists(), "the socket is removed");
    let err = c.list_peers().expect_err("stopped");
    assert!(err.to_string().contains("lost the connection"), "{err}");
    // Every thread let go of the store: it opens directly again.
    let opened = caseload::server::open(&dir).expect("open directly");
    assert!(opened.served_by.is_none());
    assert_eq!(signed_in_peers(&*opened.store), 2);
    drop(notices);
}
