import SRIOVEngine
import Testing

/// A relative `--config` goes into units and hookscripts as an absolute path.
@Suite struct HostSelectionTests {
    @Test(arguments: [
        ("c.toml", "/root", "/root/c.toml"), ("./c.toml", "/root", "/root/c.toml"), ("../etc/c.toml", "/root/x", "/root/etc/c.toml"),
        ("/etc/sriovctl/sriovctl.toml", "/tmp", "/etc/sriovctl/sriovctl.toml"), ("a/./b/../c.toml", "/", "/a/c.toml"),
    ])
    func aRelativeConfigIsMadeAbsolute(_ path: String, _ directory: String, _ expected: String) {
        #expect(HostSelection.absolute(path, from: directory) == expected)
    }

}
