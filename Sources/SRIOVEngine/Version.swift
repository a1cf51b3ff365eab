/// sriovctl's version: the one place it is written. `sriovctl --version` prints it and
/// `scripts/package` names the Debian package after it.
public enum SRIOVCtlVersion {
    public static let current = "0.9.0"
}
