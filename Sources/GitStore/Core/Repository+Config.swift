import CLibgit2

/// The repository's own settings (`.git/config`): scimgit's flags and the replica's upstream.
/// Reads see every level git reads (system, global, local); writes go to the local file only,
/// so a store's settings travel with the store and never touch the operator's ~/.gitconfig.
extension Repository {
    /// A boolean of the repository's config; nil when unset.
    func configFlag(_ key: String) throws -> Bool? {
        try withConfig { config in
            var value: Int32 = 0
            let code = git_config_get_bool(&value, config, key)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try gitCheck(code, "read \(key)")
            return value != 0
        }
    }

    func setConfigFlag(_ key: String, _ value: Bool) throws {
        try withLocalConfig { local in try gitCheck(git_config_set_bool(local, key, value ? 1 : 0), "set \(key)") }
    }

    /// A string of the repository's config; nil when unset.
    func configString(_ key: String) throws -> String? {
        try withConfig { config in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            let code = git_config_get_string_buf(&buffer, config, key)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try gitCheck(code, "read \(key)")
            return buffer.ptr.map { String(cString: $0) }
        }
    }

    /// Sets `key` (nil: removes it) in `.git/config`.
    func setConfigString(_ key: String, _ value: String?) throws {
        try withLocalConfig { local in
            if let value {
                try gitCheck(git_config_set_string(local, key, value), "set \(key)")
            } else {
                let code = git_config_delete_entry(local, key)
                if code != GIT_ENOTFOUND.rawValue { try gitCheck(code, "unset \(key)") }
            }
        }
    }

    @discardableResult
    private func withConfig<T>(_ body: (OpaquePointer?) throws -> T) throws -> T {
        var config: OpaquePointer?
        try gitCheck(git_repository_config(&config, pointer), "open the config")
        defer { git_config_free(config) }
        return try body(config)
    }

    @discardableResult
    private func withLocalConfig<T>(_ body: (OpaquePointer?) throws -> T) throws -> T {
        try withConfig { config in
            var local: OpaquePointer?
            try gitCheck(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open the repository's config")
            defer { git_config_free(local) }
            return try body(local)
        }
    }
}
