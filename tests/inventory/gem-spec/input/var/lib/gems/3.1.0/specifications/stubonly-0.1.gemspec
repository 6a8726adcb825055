# -*- encoding: utf-8 -*-
# stub: stubonly 0.1 ruby lib

Gem::Specification.new do |s|
  s.summary = "name and version only in the stub line"
end
