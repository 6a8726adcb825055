Gem::Specification.new do |s|
  s.name = "not-installed"
  s.version = "9.9.9"
end
