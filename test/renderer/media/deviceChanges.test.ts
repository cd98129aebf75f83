import { decideDeviceChange, type MediaDevice } from '../../../renderer/media/deviceChanges';

const dev = (kind: MediaDeviceKind, deviceId: string, label: string): MediaDevice => ({
  kind,
  deviceId,
  label,
});
const builtInMic = dev('audioinput', 'mic-1', 'Built-in microphone');
const headsetMic = dev('audioinput', 'mic-usb', 'USB headset');
const webcam = dev('videoinput', 'cam-1', 'Integrated camera');
const usbCam = dev('videoinput', 'cam-usb', 'USB camera');
const defaultMic = dev('audioinput', 'default', 'Default');

test('a newly plugged headset is offered, not switched to', () => {
  const decision = decideDeviceChange(
    [defaultMic, builtInMic, webcam],
    [defaultMic, builtInMic, headsetMic, webcam],
    {
      microphone: 'mic-1',
      camera: 'cam-1',
    },
  );
  expect(decision.fallBack).toEqual([]);
  expect(decision.notices).toEqual([
    {
      kind: 'added',
      role: 'microphone',
      deviceId: 'mic-usb',
      text: 'New microphone: USB headset — use it?',
    },
  ]);
});

test('the camera in use vanishing falls back to the default camera with a notice', () => {
  const decision = decideDeviceChange([builtInMic, webcam, usbCam], [builtInMic, webcam], {
    microphone: 'mic-1',
    camera: 'cam-usb',
  });
  expect(decision.fallBack).toEqual(['camera']);
  expect(decision.notices).toEqual([
    {
      kind: 'fallback',
      role: 'camera',
      deviceId: 'cam-usb',
      text: 'Your camera was disconnected; using the default camera',
    },
  ]);
});

test('a device that is not in use vanishing changes nothing', () => {
  const decision = decideDeviceChange([builtInMic, headsetMic, webcam], [builtInMic, webcam], {
    microphone: 'mic-1',
    camera: 'cam-1',
  });
  expect(decision).toEqual({ fallBack: [], notices: [] });
});

test('using the system default, nothing falls back; the "default" alias appearing is no new device', () => {
  const decision = decideDeviceChange([builtInMic, webcam], [defaultMic, builtInMic], {});
  expect(decision).toEqual({ fallBack: [], notices: [] });
});

test('an unplugged headset used for the call falls back and a replugged one is offered at once', () => {
  const replugged = dev('audioinput', 'mic-usb-2', 'USB headset');
  const decision = decideDeviceChange([builtInMic, headsetMic], [builtInMic, replugged], {
    microphone: 'mic-usb',
  });
  expect(decision.fallBack).toEqual(['microphone']);
  expect(decision.notices.map((n) => n.kind)).toEqual(['fallback', 'added']);
});
