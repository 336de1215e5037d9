import CLibgit2

extension Repository {
    /// A boolean of the repository's own config (`.git/config`); nil when unset.
    func configFlag(_ key: String) throws -> Bool? {
        var config: OpaquePointer?
        try gitCheck(git_repository_config(&config, pointer), "open the config")
        defer { git_config_free(config) }
        var value: Int32 = 0
        let code = git_config_get_bool(&value, config, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(code, "read \(key)")
        return value != 0
    }

    func setConfigFlag(_ key: String, _ value: Bool) throws {
        var config: OpaquePointer?
        try gitCheck(git_repository_config(&config, pointer), "open the config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try gitCheck(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open the repository's config")
        defer { git_config_free(local) }
        try gitCheck(git_config_set_bool(local, key, value ? 1 : 0), "set \(key)")
    }
}

extension Repository {
    /// A string of the repository's own config; nil when unset.
    func configString(_ key: String) throws -> String? {
        var config: OpaquePointer?
        try gitCheck(git_repository_config(&config, pointer), "open the config")
        defer { git_config_free(config) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let code = git_config_get_string_buf(&buffer, config, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(code, "read \(key)")
        return buffer.ptr.map { String(cString: $0) }
    }

    /// Sets `key` (nil: removes it) in `.git/config`.
    func setConfigString(_ key: String, _ value: String?) throws {
        var config: OpaquePointer?
        try gitCheck(git_repository_config(&config, pointer), "open the config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try gitCheck(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open the repository's config")
        defer { git_config_free(local) }
        if let value {
            try gitCheck(git_config_set_string(local, key, value), "set \(key)")
        } else {
            let code = git_config_delete_entry(local, key)
            if code != GIT_ENOTFOUND.rawValue { try gitCheck(code, "unset \(key)") }
        }
    }
}
