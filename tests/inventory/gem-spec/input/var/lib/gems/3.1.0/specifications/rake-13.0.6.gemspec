# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = 'rake'
  s.version = Gem::Version.new('13.0.6')
  s.license = 'MIT'
end
