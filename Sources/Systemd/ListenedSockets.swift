internal import CSystemd

/// Sockets handed over by systemd socket activation (`LISTEN_FDS`, `sd_listen_fds(3)`).
package enum ListenedSockets {
    /// The file descriptors passed by the service manager, starting at 3; empty when the
    /// daemon was not socket-activated. Clears the `LISTEN_*` variables so children do not
    /// inherit them.
    package static func take() -> [Int32] {
        let count = sd_listen_fds(1)
        guard count > 0 else { return [] }
        return (0..<count).map { SD_LISTEN_FDS_START + $0 }
    }
}
