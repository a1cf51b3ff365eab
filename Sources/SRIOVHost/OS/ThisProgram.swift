/// The running sriovctl, for units and hookscripts that run it again.
public enum ThisProgram {
    /// Its path, from /proc/self/exe; nil without /proc.
    public static var path: String? { RootedFileSystem().linkTarget("/proc/self/exe") }
}
